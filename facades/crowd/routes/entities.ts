import { DirectoryError } from '../../../src/domain/errors';
import { renderGroup, renderUser } from '../codec/entities';
import { expansions, param, requiredParam, runAs, type CrowdCall } from '../request';
import { CrowdGroupByNameDocument, CrowdUserByKeyDocument, CrowdUserByNameDocument } from '../generated/operations';

/** GET /user?username=U | ?key=K [&expand=attributes] → user entity. */
export async function getUser(call: CrowdCall): Promise<string> {
  const attributes = expansions(call).has('attributes');
  const key = param(call, 'key');
  if (key !== undefined && param(call, 'username') === undefined) {
    const data = await runAs(call, CrowdUserByKeyDocument, { key, attributes });
    if (!data.user) throw new DirectoryError('USER_NOT_FOUND', `User with key <${key}> does not exist`);
    return renderUser(data.user, call.format, call.links, attributes);
  }
  const name = requiredParam(call, 'username');
  const data = await runAs(call, CrowdUserByNameDocument, { name, attributes });
  if (!data.user) throw new DirectoryError('USER_NOT_FOUND', `User <${name}> does not exist`);
  return renderUser(data.user, call.format, call.links, attributes);
}

/** GET /group?groupname=G [&expand=attributes] → group entity. */
export async function getGroup(call: CrowdCall): Promise<string> {
  const attributes = expansions(call).has('attributes');
  const name = requiredParam(call, 'groupname');
  const data = await runAs(call, CrowdGroupByNameDocument, { name, attributes });
  if (!data.group) throw new DirectoryError('GROUP_NOT_FOUND', `Group <${name}> does not exist`);
  return renderGroup(data.group, call.format, call.links, attributes);
}
