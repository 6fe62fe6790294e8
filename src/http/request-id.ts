import { randomUUID } from 'node:crypto';

/**
 * A request's id: the `X-Request-Id` a proxy or client sent when it is a plain token (letters,
 * digits, `.`, `_`, `:`, `-`; 8 to 128 characters: a UUID, a trace id), else a new UUID. It is
 * echoed in the `X-Request-Id` answer header, carried by every log line about the request and is
 * the correlation id of its error answers (Crowd error entities, GraphQL `extensions.correlationId`).
 */
export function chooseRequestId(sent: string | string[] | undefined): string {
  return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The id `observeRequests` gave this request (a new one outside it: tests that mount a part alone). */
export function requestIdOf(ctx: { readonly state: unknown }): string {
  const id = (ctx.state as { requestId?: unknown }).requestId;
  return typeof id === 'string' ? id : randomUUID();
}
