import type { ErrorCode } from '../../src/domain/errors';

/**
 * One of the two tables that translate the error model (the other is GraphQL's):
 * DirectoryError code → Crowd `{status, reason}` (https://docs.atlassian.com/atlassian-crowd/latest/REST/). Routes whose Crowd
 * status differs for the same reason (e.g. USER_NOT_FOUND is 400 on POST /authentication) pass
 * an override when they raise it.
 */
export const CROWD_ERRORS: Readonly<Record<ErrorCode, { status: number; reason: string }>> = {
  USER_NOT_FOUND: { status: 404, reason: 'USER_NOT_FOUND' },
  GROUP_NOT_FOUND: { status: 404, reason: 'GROUP_NOT_FOUND' },
  DIRECTORY_NOT_FOUND: { status: 404, reason: 'DIRECTORY_NOT_FOUND' },
  MEMBERSHIP_NOT_FOUND: { status: 404, reason: 'MEMBERSHIP_NOT_FOUND' },
  INVALID_ARGUMENT: { status: 400, reason: 'ILLEGAL_ARGUMENT' },
  INVALID_CURSOR: { status: 400, reason: 'ILLEGAL_ARGUMENT' },
  CONFLICT: { status: 409, reason: 'OPERATION_FAILED' },
  UNAUTHENTICATED: { status: 401, reason: 'APPLICATION_ACCESS_DENIED' },
  FORBIDDEN: { status: 403, reason: 'APPLICATION_ACCESS_DENIED' },
  READ_ONLY: { status: 403, reason: 'APPLICATION_PERMISSION_DENIED' },
  CONFIGURATION: { status: 500, reason: 'OPERATION_FAILED' },
  PROVIDER_UNAVAILABLE: { status: 500, reason: 'OPERATION_FAILED' },
  INVALID_CREDENTIALS: { status: 400, reason: 'INVALID_USER_AUTHENTICATION' },
  INACTIVE_ACCOUNT: { status: 400, reason: 'INACTIVE_ACCOUNT' },
  EXPIRED_CREDENTIAL: { status: 400, reason: 'EXPIRED_CREDENTIAL' },
  EXPIRED_TOKEN: { status: 410, reason: 'EVENT_TOKEN_EXPIRED' },
  INVALID_TOKEN: { status: 400, reason: 'INVALID_SSO_TOKEN' }, // 404 on POST /session/{t}
  INTERNAL: { status: 500, reason: 'OPERATION_FAILED' },
};

const statusOverrides = new WeakMap<object, number>();

/** Marks an error with the Crowd status this route answers for it, when it differs from the table. */
export function withCrowdStatus<E extends object>(error: E, status: number): E {
  statusOverrides.set(error, status);
  return error;
}

export function crowdStatusOverride(error: object): number | undefined {
  return statusOverrides.get(error);
}
