/**
 * The shapes the Crowd facade exchanges with the GraphQL schema: variables it sends (filter
 * inputs, mirroring `UserFilterInput` / `GroupFilterInput` in schema/schema.graphql) and the
 * results of the fixed operations in schema/crowd/*.graphql. Kept by hand; the operations are
 * validated against the schema at start, so a drift fails at boot, not at request time.
 */

/** All set fields are ANDed. Matching is case-insensitive. */
export interface StringConditionInput {
  equals?: string;
  startsWith?: string;
  endsWith?: string;
  contains?: string;
  lessThan?: string;
  greaterThan?: string;
  /** true: the field is empty (Crowd `NULL` match mode). */
  isEmpty?: boolean;
}

export interface DateConditionInput {
  before?: string; // ISO-8601 date-time
  after?: string;
}

export interface AttributeConditionInput extends StringConditionInput {
  name: string;
}

/** Every field that is set must hold (AND); `and` / `or` combine nested filters. */
export interface UserFilterInput {
  and?: UserFilterInput[];
  or?: UserFilterInput[];
  name?: StringConditionInput;
  email?: StringConditionInput;
  firstName?: StringConditionInput;
  lastName?: StringConditionInput;
  displayName?: StringConditionInput;
  externalId?: StringConditionInput;
  active?: boolean;
  createdAt?: DateConditionInput;
  updatedAt?: DateConditionInput;
  attributes?: AttributeConditionInput[];
}

export interface GroupFilterInput {
  and?: GroupFilterInput[];
  or?: GroupFilterInput[];
  name?: StringConditionInput;
  description?: StringConditionInput;
  externalId?: StringConditionInput;
  active?: boolean;
  local?: boolean;
  createdAt?: DateConditionInput;
  updatedAt?: DateConditionInput;
  attributes?: AttributeConditionInput[];
}

export interface AttributeView {
  name: string;
  values: string[];
}

/** A user as the Crowd operations select it (fragment `CrowdUser`). */
export interface CrowdUserView {
  name: string;
  key: string;
  firstName: string;
  lastName: string;
  displayName: string;
  email: string;
  active: boolean;
  createdAt: string; // ISO-8601
  updatedAt: string;
  /** Present only when the operation asked for attributes. */
  attributes?: AttributeView[] | null;
}

/** A group as the Crowd operations select it (fragment `CrowdGroup`). */
export interface CrowdGroupView {
  name: string;
  description: string;
  active: boolean;
  attributes?: AttributeView[] | null;
}

/** One `<membership>` of `/group/membership`: a group with its direct users and child groups. */
export interface CrowdMembershipView {
  group: string;
  users: string[];
  groups: string[];
}

export interface PageInfoView {
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface ConnectionView<T> {
  nodes: T[];
  pageInfo: PageInfoView;
}

/** One event of the CrowdEventsSince operation (DirectoryEvent in the schema). */
export interface EventView {
  type: string;
  operation: string;
  user: { name: string; key: string; firstName: string; lastName: string; displayName: string; email: string; active: boolean } | null;
  group: { name: string; description: string; active: boolean } | null;
  childUser: string | null;
  parentGroups: string[] | null;
  childGroups: string[] | null;
}
