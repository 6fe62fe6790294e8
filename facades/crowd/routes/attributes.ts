import { DirectoryError } from '../../../src/domain/errors';
import { renderGroupAttributes, renderUserAttributes } from '../codec/entities';
import { requiredParam, runAs, type CrowdCall } from '../request';
import { CrowdGroupByNameDocument, CrowdUserByNameDocument } from '../generated/operations';

/** GET /user/attribute?username=U → attribute list entity. */
export async function getUserAttributes(call: CrowdCall): Promise<string> {
  const name = requiredParam(call, 'username');
  const data = await runAs(call, CrowdUserByNameDocument, { name, attributes: true });
  if (!data.user) throw new DirectoryError('USER_NOT_FOUND', `User <${name}> does not exist`);
  return renderUserAttributes(data.user.name, data.user.attributes ?? [], call.format, call.links);
}

/** GET /group/attribute?groupname=G → attribute list entity. */
export async function getGroupAttributes(call: CrowdCall): Promise<string> {
  const name = requiredParam(call, 'groupname');
  const data = await runAs(call, CrowdGroupByNameDocument, { name, attributes: true });
  if (!data.group) throw new DirectoryError('GROUP_NOT_FOUND', `Group <${name}> does not exist`);
  return renderGroupAttributes(data.group.name, data.group.attributes ?? [], call.format, call.links);
}
