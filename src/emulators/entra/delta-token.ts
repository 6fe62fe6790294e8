import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Delta cursors, carried in `$skiptoken` (inside a round) and `$deltatoken` (between rounds). Graph
 * encodes the query options of the first request into these tokens, so later requests need none
 * (delta-query-overview). Tokens are base64url JSON plus an HMAC, opaque and tamper-evident.
 */
export type DeltaResource = 'users' | 'groups';

export interface DeltaCursor {
  readonly v: 1;
  readonly r: DeltaResource;
  /** $select of the first request (canonical names), null = default properties (+ members for groups). */
  readonly sel: readonly string[] | null;
  /** `$filter=id eq …` ids of the first request, or null. */
  readonly ids: readonly string[] | null;
  /** Resync generation the token belongs to; older generations answer 410. */
  readonly gen: number;
  /** Issue time (ms); tokens older than the lifetime answer 410. */
  readonly iat: number;
  /** Initial round: full enumeration of the current objects. */
  readonly full: boolean;
  /** Incremental round: journal changes with seq > from … */
  readonly from: number;
  /** … and ≤ to (the journal position when the round began; -1 in a deltaLink, not begun yet). */
  readonly to: number;
  /** Last object id completely sent in this round. */
  readonly after: string | null;
  /** Object whose member entries continue on the next page (a split group), and its last member sent. */
  readonly inObj: string | null;
  readonly afterMember: string | null;
}

export class DeltaTokenCodec {
  private readonly key = randomBytes(32);

  encode(cursor: DeltaCursor): string {
    const body = Buffer.from(JSON.stringify(cursor)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The cursor, or null when the token is not one of ours (garbled or tampered with). */
  decode(token: string): DeltaCursor | null {
    const dot = token.lastIndexOf('.');
    if (dot <= 0) return null;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const cursor = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as DeltaCursor;
      return cursor.v === 1 ? cursor : null;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 22);
  }
}
