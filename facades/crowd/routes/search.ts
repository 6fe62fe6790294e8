import type { Readable } from 'node:stream';
import { DirectoryError } from '../../../src/domain/errors';
import type { RequestBody } from '../body';
import { groupListWriter, userListWriter } from '../codec/entities';
import type { GroupFilterInput, UserFilterInput } from '../graphql-types';
import { streamList } from '../paging-stream';
import { expansions, paging, param, runAs, type CrowdCall } from '../request';
import { parseCql } from '../search/cql';
import { parseJsonRestriction, parseXmlRestriction, type SearchRestriction } from '../search/restriction';
import { restrictionToGroupFilter, restrictionToUserFilter, type TranslateOptions } from '../search/to-filter';
import { CrowdSearchGroupsDocument, CrowdSearchUsersDocument } from '../generated/operations';

/** POST /search: the restriction is the body (XML or JSON); unknown properties are attributes. */
export async function postSearch(call: CrowdCall, body: RequestBody): Promise<Readable> {
  const restriction = restrictionFromBody(body);
  return search(call, restriction, { unknownPropertyAs: 'attribute' });
}

/** GET /search?restriction=<CQL>: a blank restriction matches everything; unknown properties are errors. */
export async function getSearch(call: CrowdCall): Promise<Readable> {
  return search(call, parseCql(param(call, 'restriction') ?? ''), { unknownPropertyAs: 'error' });
}

function restrictionFromBody(body: RequestBody): SearchRestriction {
  switch (body.kind) {
    case 'xml':
      return parseXmlRestriction(body.root);
    case 'json':
      return parseJsonRestriction(body.value);
    case 'empty':
      throw new DirectoryError('INVALID_ARGUMENT', 'Search restriction is invalid: the request body is empty');
  }
}

/**
 * Runs a search as pages of the CrowdSearchUsers / CrowdSearchGroups operations. Without
 * `expand=user|group` only names are read and written.
 */
async function search(call: CrowdCall, restriction: SearchRestriction, options: TranslateOptions): Promise<Readable> {
  const entityType = param(call, 'entity-type');
  if (!entityType) throw new DirectoryError('INVALID_ARGUMENT', 'entity-type query parameter required.');
  const expand = expansions(call);
  const attributes = expand.has('attributes');
  const pages = paging(call);
  switch (entityType.toLowerCase()) {
    case 'user': {
      const filter: UserFilterInput = restrictionToUserFilter(restriction, options);
      const entity = expand.has('user');
      return streamList(userListWriter(call.format, call.links, { entity, attributes }), pages, async (page) => {
        const data = await runAs(call, CrowdSearchUsersDocument, {
          filter,
          entity,
          attributes,
          ...page,
        });
        return { nodes: data.users.nodes, ...data.users.pageInfo };
      });
    }
    case 'group': {
      const filter: GroupFilterInput = restrictionToGroupFilter(restriction, options);
      const entity = expand.has('group');
      return streamList(groupListWriter(call.format, call.links, { entity, attributes }), pages, async (page) => {
        const data = await runAs(call, CrowdSearchGroupsDocument, {
          filter,
          entity,
          attributes,
          ...page,
        });
        return { nodes: data.groups.nodes, ...data.groups.pageInfo };
      });
    }
    default:
      throw new DirectoryError('INVALID_ARGUMENT', `Unknown type: ${entityType}`);
  }
}
