import { createHash, timingSafeEqual } from 'node:crypto';
import { ApplicationLoginLimit } from '../security/application-login-limit';

/** Wrong administrator tokens a client address may present in a minute before it is refused unchecked. */
export const ADMIN_TOKEN_FAILURES = { failures: 10, windowMs: 60_000 } as const;

/** The outcome of `Authorization: Bearer …` on /graphql. */
export type AdminAuthentication =
  | { readonly kind: 'admin'; readonly name: string }
  /** No Authorization header: not an attempt, not counted. */
  | { readonly kind: 'missing' }
  /** A wrong or malformed credential: counted against the address. */
  | { readonly kind: 'invalid' }
  /** The address presented too many wrong credentials lately: refused without a check. */
  | { readonly kind: 'too-many' };

interface Token {
  readonly name: string;
  readonly digest: Buffer;
}

/**
 * GraphQL administrator authentication: `Authorization: Bearer <token>` with a token from the
 * configuration. Tokens are compared as SHA-256 digests in constant time, so neither their length
 * nor their content leaks through timing.
 *
 * Wrong credentials are limited per client address exactly like Crowd application passwords, by
 * the same limiter (ADMIN_TOKEN_FAILURES, src/security/application-login-limit.ts): each presented
 * credential reserves an attempt before it is compared; an address with 10 failures in the
 * window is refused without a comparison. A token that
 * has already authenticated since start is still accepted from such an address (compared only
 * with those tokens), so a guesser sharing the administrator's address cannot lock them out.
 */
export class AdminTokens {
  private readonly tokens: readonly Token[];
  private readonly provenNames = new Set<string>();
  private readonly failures: ApplicationLoginLimit;

  constructor(
    tokens: readonly { name: string; token: string }[],
    failures: ApplicationLoginLimit = new ApplicationLoginLimit(ADMIN_TOKEN_FAILURES),
  ) {
    this.tokens = tokens.map((t) => ({ name: t.name, digest: sha256(t.token) }));
    this.failures = failures;
  }

  authenticate(authorization: string | undefined, source: string): AdminAuthentication {
    if (authorization === undefined || authorization === '') return { kind: 'missing' };
    const reservation = this.failures.reserve(source);
    if (!reservation) {
      const proven = this.match(authorization, (t) => this.provenNames.has(t.name));
      if (proven) this.failures.acceptedKnownGood(source);
      return proven ? { kind: 'admin', name: proven } : { kind: 'too-many' };
    }
    const name = this.match(authorization, () => true);
    if (name === undefined) {
      reservation.fail();
      return { kind: 'invalid' };
    }
    reservation.succeed();
    this.provenNames.add(name);
    return { kind: 'admin', name };
  }

  /** The name of the first token among `candidates` that the header carries. */
  private match(authorization: string, candidates: (token: Token) => boolean): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return undefined;
    const presented = sha256(match[1]!);
    let found: string | undefined;
    for (const token of this.tokens)
      if (candidates(token) && timingSafeEqual(token.digest, presented)) found ??= token.name;
    return found;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
