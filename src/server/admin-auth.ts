import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * GraphQL administrator authentication: `Authorization: Bearer <token>` with a token from the
 * configuration. Tokens are compared as SHA-256 digests in constant time, so neither their length
 * nor their content leaks through timing.
 */
export class AdminTokens {
  private readonly digests: Array<{ name: string; digest: Buffer }>;

  constructor(tokens: readonly { name: string; token: string }[]) {
    this.digests = tokens.map((t) => ({ name: t.name, digest: sha256(t.token) }));
  }

  /** The token's configured name, or undefined when the header carries no valid token. */
  authenticate(authorization: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const presented = sha256(match[1]!);
    let found: string | undefined;
    for (const { name, digest } of this.digests) if (timingSafeEqual(digest, presented)) found ??= name;
    return found;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
