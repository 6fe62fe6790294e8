/**
 * The shapes the Crowd facade reads from its fixed operations, named after what the codecs write.
 * Every type here is derived from generated/operations.ts, which `npm run build` generates from
 * schema/schema.graphql and schema/crowd/*.graphql (codegen.mjs): a field renamed in the schema or
 * dropped from an operation fails the build.
 */
import type {
  CrowdEventsSinceQuery,
  CrowdGroupFragment,
  CrowdSearchGroupsQuery,
  CrowdSearchUsersQuery,
  CrowdUserFragment,
} from './generated/operations';

export type {
  AttributeCondition,
  DateCondition,
  GroupFilterInput,
  StringCondition,
  UserFilterInput,
} from './generated/operations';

/** A user as the Crowd operations select it (fragment `CrowdUser`). */
export type CrowdUserView = CrowdUserFragment;

/** A group as the Crowd operations select it (fragment `CrowdGroup`). */
export type CrowdGroupView = CrowdGroupFragment;

export type AttributeView = NonNullable<CrowdUserView['attributes']>[number];

/**
 * An entry of a user list: the name, and the whole `CrowdUser` fragment when the operation ran
 * with `$entity` (`...CrowdUser @include(if: $entity)`).
 */
export type UserListEntry = CrowdSearchUsersQuery['users']['nodes'][number];

/** An entry of a group list: the name, and the `CrowdGroup` fragment when the operation ran with `$entity`. */
export type GroupListEntry = CrowdSearchGroupsQuery['groups']['nodes'][number];

/** One event of the CrowdEventsSince operation. */
export type EventView = CrowdEventsSinceQuery['events']['events'][number];
