import { timingSafeEqual } from 'node:crypto';
import { ApplicationLoginLimit } from '../security/application-login-limit';
import { tokenDigest } from '../security/token-digest';

/** Wrong administrator tokens a client address may present in a minute before it is refused unchecked. */
export const ADMIN_TOKEN_FAILURES = { failures: 10, windowMs: 60_000 } as const;

/** `READ`: queries only; `ADMIN`: everything; `SETUP`: the one-time setup token (queries and createAdminToken). */
export type AdminScope = 'READ' | 'ADMIN' | 'SETUP';

/** A token that may authenticate now: from the configuration file (ADMIN) or made through the API. */
export interface AdminTokenCandidate {
  readonly name: string;
  /** SHA-256 of the token. */
  readonly digest: Buffer;
  readonly scope: AdminScope;
  /** Epoch ms; absent: never expires. */
  readonly expiresAt?: number;
}

/** The outcome of `Authorization: Bearer …` on /graphql. */
export type AdminAuthentication =
  | { readonly kind: 'admin'; readonly name: string; readonly scope: AdminScope }
  /** No Authorization header: not an attempt, not counted. */
  | { readonly kind: 'missing' }
  /** A wrong or malformed credential: counted against the address. */
  | { readonly kind: 'invalid' }
  /** The address presented too many wrong credentials lately: refused without a check. */
  | { readonly kind: 'too-many' };

/**
 * GraphQL administrator authentication: `Authorization: Bearer <token>` with a token of the
 * runtime configuration (the file's, and those made through the API, read at every request so a
 * revoked or expired token ends at once). Tokens are compared as SHA-256 digests in constant time, so neither their length
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
  private readonly provenNames = new Set<string>();

  constructor(
    /** The tokens valid now (called per request: keep it cheap). */
    private readonly tokens: () => readonly AdminTokenCandidate[],
    private readonly failures: ApplicationLoginLimit = new ApplicationLoginLimit(ADMIN_TOKEN_FAILURES),
    private readonly now: () => number = Date.now,
  ) {}

  /** The token of that name if it may authenticate now (not revoked, not expired): what a console session stands for. */
  named(name: string): AdminTokenCandidate | undefined {
    const now = this.now();
    return this.tokens().find((t) => t.name === name && (t.expiresAt === undefined || t.expiresAt > now));
  }

  /** Tokens given in clear (the configuration file's), as ADMIN candidates. */
  static fromConfig(tokens: readonly { name: string; token: string }[]): AdminTokenCandidate[] {
    return tokens.map((t) => ({ name: t.name, digest: tokenDigest(t.token), scope: 'ADMIN' }));
  }

  authenticate(authorization: string | undefined, source: string): AdminAuthentication {
    if (authorization === undefined || authorization === '') return { kind: 'missing' };
    const reservation = this.failures.reserve(source);
    if (!reservation) {
      const proven = this.match(authorization, (t) => this.provenNames.has(t.name));
      if (proven) this.failures.acceptedKnownGood(source);
      return proven ? { kind: 'admin', name: proven.name, scope: proven.scope } : { kind: 'too-many' };
    }
    const token = this.match(authorization, () => true);
    if (token === undefined) {
      reservation.fail();
      return { kind: 'invalid' };
    }
    reservation.succeed();
    this.provenNames.add(token.name);
    return { kind: 'admin', name: token.name, scope: token.scope };
  }

  /** The first unexpired token among `candidates` that the header carries. */
  private match(
    authorization: string,
    candidates: (token: AdminTokenCandidate) => boolean,
  ): AdminTokenCandidate | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return undefined;
    const presented = tokenDigest(match[1]!);
    const now = this.now();
    let found: AdminTokenCandidate | undefined;
    for (const token of this.tokens())
      if (
        candidates(token) &&
        timingSafeEqual(token.digest, presented) &&
        (token.expiresAt === undefined || token.expiresAt > now)
      )
        found ??= token;
    return found;
  }
}
