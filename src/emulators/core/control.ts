import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Faults, FaultSettings } from './faults';
import type { GroupPatch, TenantState, UserPatch } from './tenant-state';

/** Path prefix of the control API, served by every emulator beside the vendor API. */
export const CONTROL_PREFIX = '/_emulator';

/**
 * One change command, as the CLI and remote tests send it to `POST /_emulator/changes`
 * (tests in-process call TenantState directly).
 */
export type ChangeCommand =
  | { op: 'createUser'; user: Parameters<TenantState['createUser']>[0] }
  | { op: 'updateUser'; id: string; patch: UserPatch }
  | { op: 'deleteUser'; id: string }
  | { op: 'createGroup'; group: Parameters<TenantState['createGroup']>[0] }
  | { op: 'updateGroup'; id: string; patch: GroupPatch }
  | { op: 'deleteGroup'; id: string }
  | { op: 'addMember'; groupId: string; memberId: string }
  | { op: 'removeMember'; groupId: string; memberId: string };

export function applyCommand(state: TenantState, command: ChangeCommand): void {
  switch (command.op) {
    case 'createUser':
      state.createUser({
        ...command.user,
        ...(command.user.createdAt ? { createdAt: new Date(command.user.createdAt) } : {}),
      });
      return;
    case 'updateUser':
      state.updateUser(command.id, command.patch);
      return;
    case 'deleteUser':
      state.deleteUser(command.id);
      return;
    case 'createGroup':
      state.createGroup({
        ...command.group,
        ...(command.group.createdAt ? { createdAt: new Date(command.group.createdAt) } : {}),
      });
      return;
    case 'updateGroup':
      state.updateGroup(command.id, command.patch);
      return;
    case 'deleteGroup':
      state.deleteGroup(command.id);
      return;
    case 'addMember':
      state.addMember(command.groupId, command.memberId);
      return;
    case 'removeMember':
      state.removeMember(command.groupId, command.memberId);
      return;
  }
}

/**
 * Serves the control API when the request is for it; returns false otherwise. Requires
 * `Authorization: Bearer <control token>`.
 *   GET  /_emulator/state    → { users, groups, latestSeq }
 *   GET  /_emulator/faults   → FaultSettings
 *   POST /_emulator/faults   (partial FaultSettings) → FaultSettings
 *   POST /_emulator/changes  (ChangeCommand | ChangeCommand[]) → { latestSeq }
 */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  context: { state: TenantState; faults: Faults; token: string },
): Promise<boolean> {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (!path.startsWith(`${CONTROL_PREFIX}/`)) return false;
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (!bearerMatches(req.headers.authorization, context.token)) {
    send(401, { error: 'control token required' });
    return true;
  }
  try {
    const route = `${req.method} ${path.slice(CONTROL_PREFIX.length)}`;
    switch (route) {
      case 'GET /state':
        send(200, {
          users: context.state.users.size,
          groups: context.state.groups.size,
          latestSeq: context.state.latestSeq,
        });
        return true;
      case 'GET /faults':
        send(200, context.faults.settings);
        return true;
      case 'POST /faults':
        send(200, context.faults.update((await readJson(req)) as Partial<FaultSettings>));
        return true;
      case 'POST /changes': {
        const body = (await readJson(req)) as ChangeCommand | ChangeCommand[];
        for (const command of Array.isArray(body) ? body : [body]) applyCommand(context.state, command);
        send(200, { latestSeq: context.state.latestSeq });
        return true;
      }
      default:
        send(404, { error: `no control route ${route}` });
        return true;
    }
  } catch (error) {
    send(400, { error: (error as Error).message });
    return true;
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 10 * 1024 * 1024) throw new Error('control request too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
