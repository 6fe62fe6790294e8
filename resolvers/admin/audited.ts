import type { MiddlewareFn } from 'type-graphql';
import { isDirectoryError } from '../../src/domain/errors';
import type { GraphQLContext } from '../context';

/** Keys whose values never reach the audit log (nor any answer): passwords, tokens, keys, secrets. */
const SECRET_KEY = /password|secret|token|privatekey|serviceaccountkey|^certificate$|apikey/i;
const REDACTED = '[redacted]';

/** The value with every secret-named key's value replaced, at any depth. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && inner !== null && inner !== undefined ? REDACTED : redactSecrets(inner);
  }
  return out;
}

/**
 * Records every mutation it is put on in the audit log (the store's): time, token name, client
 * address, the mutation's name, its arguments with secrets redacted, and how it ended. A failed
 * mutation is recorded too, then its error goes on. Contexts without the administration API
 * (the Crowd facade's) record nothing.
 */
export const Audited: MiddlewareFn<GraphQLContext> = async ({ context, args, info }, next) => {
  const admin = context.admin;
  if (!admin) return next();
  const entry = {
    principal: context.principal,
    source: context.caller?.source ?? '',
    operation: info.fieldName,
    arguments: redactSecrets(JSON.parse(JSON.stringify(args ?? {})) as unknown) as Record<string, unknown>,
  };
  try {
    const result: unknown = await next();
    await admin.store.appendAudit({ ...entry, at: new Date(), outcome: 'OK', error: null });
    return result;
  } catch (error) {
    const described = isDirectoryError(error)
      ? `${error.code}: ${error.message}`
      : `INTERNAL: ${error instanceof Error ? error.name : 'error'}`;
    await admin.store.appendAudit({ ...entry, at: new Date(), outcome: 'ERROR', error: described });
    throw error;
  }
};
