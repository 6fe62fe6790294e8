import type { admin_directory_v1 } from 'googleapis';
import type { DirectoryClient } from './client';
import { accountScope, type GoogleSettings } from './config';
import { GROUP_FIELDS, MEMBER_FIELDS, USER_FIELDS } from './mapper';

/**
 * The three Directory API listings, each paged to the end with `nextPageToken` (page tokens are
 * valid three days, https://developers.google.com/admin-sdk/directory/reference/rest). Page sizes are the documented maxima: users.list 500,
 * groups.list 200, members.list 200. Each page is one paced, retried call (client.ts).
 */

/** users.list maxResults maximum (discovery: 1..500). */
export const USER_PAGE = 500;
/** groups.list maxResults maximum. */
export const GROUP_PAGE = 200;
/** members.list maxResults maximum. */
export const MEMBER_PAGE = 200;

export async function* userPages(
  client: DirectoryClient,
  settings: GoogleSettings,
): AsyncGenerator<admin_directory_v1.Schema$User[]> {
  let pageToken: string | undefined;
  do {
    const params: admin_directory_v1.Params$Resource$Users$List = {
      ...accountScope(settings),
      maxResults: USER_PAGE,
      // customSchemas come with projection=full only.
      projection: 'full',
      fields: USER_FIELDS,
      ...(pageToken !== undefined ? { pageToken } : {}),
    };
    const data = await client.call('users.list', (admin, options) => admin.users.list(params, options));
    yield data.users ?? [];
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken !== undefined);
}

export async function* groupPages(
  client: DirectoryClient,
  settings: GoogleSettings,
): AsyncGenerator<admin_directory_v1.Schema$Group[]> {
  let pageToken: string | undefined;
  do {
    const params: admin_directory_v1.Params$Resource$Groups$List = {
      ...accountScope(settings),
      maxResults: GROUP_PAGE,
      fields: GROUP_FIELDS,
      ...(pageToken !== undefined ? { pageToken } : {}),
    };
    const data = await client.call('groups.list', (admin, options) => admin.groups.list(params, options));
    yield data.groups ?? [];
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken !== undefined);
}

/** Direct members of one group (includeDerivedMembership off: nesting is the engine's to keep or flatten). */
export async function* memberPages(
  client: DirectoryClient,
  groupKey: string,
): AsyncGenerator<admin_directory_v1.Schema$Member[]> {
  let pageToken: string | undefined;
  do {
    const params: admin_directory_v1.Params$Resource$Members$List = {
      groupKey,
      maxResults: MEMBER_PAGE,
      fields: MEMBER_FIELDS,
      ...(pageToken !== undefined ? { pageToken } : {}),
    };
    const data = await client.call(`members.list ${groupKey}`, (admin, options) => admin.members.list(params, options));
    yield data.members ?? [];
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken !== undefined);
}
