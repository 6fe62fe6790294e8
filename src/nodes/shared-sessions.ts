import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Session, Sessions } from '../../facades/crowd/session-store';
import type { SecretVault } from '../admin/secret-vault';
import { foldName } from '../domain/names';
import { tokenDigest } from '../security/token-digest';

export interface SharedSessionOptions {
  /** Default and maximum session lifetime (Crowd's session timeout). */
  readonly maxTtlMs: number;
  readonly now?: () => number;
}

/** Expired sessions are deleted at most this often per node (each delete is one indexed range). */
const PRUNE_EVERY_MS = 60_000;
const SEAL_PURPOSE = 'crowd-session';

type Row = {
  token_sealed: string;
  username: string;
  factors: string;
  created_at: string;
  expires_at: string;
  ttl_ms: string;
};
const COLUMNS = 'token_sealed, username, factors, created_at, expires_at, ttl_ms';

/**
 * Crowd SSO sessions in PostgreSQL (table `crowd_sessions`), so a token issued by one node is
 * valid on every node — the same contract as the in-memory SessionStore
 * (facades/crowd/session-store.ts): a live session of the same user and factors is handed out
 * again, renewals extend by the session's own lifetime, expired sessions are gone. Tokens are
 * looked up by SHA-256 and kept only sealed with the store's data key.
 */
export function sharedSessions(pool: Pool, vault: SecretVault, options: SharedSessionOptions): Sessions {
  const now = options.now ?? Date.now;
  let prunedAt = 0;
  const digest = (token: string) => tokenDigest(token).toString('hex');
  const toSession = (token: string, row: Row): Session => ({
    token,
    username: row.username,
    factors: row.factors,
    createdAt: new Date(Number(row.created_at)),
    expiresAt: new Date(Number(row.expires_at)),
    ttlMs: Number(row.ttl_ms),
  });
  const prune = async (at: number) => {
    if (at - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = at;
    await pool.query('DELETE FROM crowd_sessions WHERE expires_at <= $1', [at]);
  };

  return {
    async open(username, factors, durationSeconds) {
      const at = now();
      await prune(at);
      const live = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM crowd_sessions WHERE username_lower = $1 AND factors = $2 AND expires_at > $3
          ORDER BY created_at DESC LIMIT 1`,
        [foldName(username), factors, at],
      );
      const existing = live.rows[0];
      if (existing)
        return { session: toSession(vault.openValue(SEAL_PURPOSE, existing.token_sealed), existing), reused: true };
      const ttlMs = Math.min(
        options.maxTtlMs,
        durationSeconds && durationSeconds > 0 ? durationSeconds * 1000 : options.maxTtlMs,
      );
      const token = randomBytes(24).toString('base64url');
      const session: Session = {
        token,
        username,
        factors,
        createdAt: new Date(at),
        expiresAt: new Date(at + ttlMs),
        ttlMs,
      };
      await pool.query(
        `INSERT INTO crowd_sessions (token_digest, token_sealed, username, username_lower, factors, created_at, expires_at, ttl_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          digest(token),
          vault.sealValue(SEAL_PURPOSE, token),
          username,
          foldName(username),
          factors,
          at,
          at + ttlMs,
          ttlMs,
        ],
      );
      return { session, reused: false };
    },

    async get(token) {
      const found = await pool.query<Row>(
        `SELECT ${COLUMNS} FROM crowd_sessions WHERE token_digest = $1 AND expires_at > $2`,
        [digest(token), now()],
      );
      return found.rows[0] ? toSession(token, found.rows[0]) : undefined;
    },

    async renew(token) {
      const at = now();
      const renewed = await pool.query<Row>(
        `UPDATE crowd_sessions SET expires_at = $2 + ttl_ms WHERE token_digest = $1 AND expires_at > $2 RETURNING ${COLUMNS}`,
        [digest(token), at],
      );
      return renewed.rows[0] ? toSession(token, renewed.rows[0]) : undefined;
    },

    async remove(token) {
      await pool.query('DELETE FROM crowd_sessions WHERE token_digest = $1', [digest(token)]);
    },

    async removeUser(username, exclude) {
      await pool.query('DELETE FROM crowd_sessions WHERE username_lower = $1 AND token_digest <> $2', [
        foldName(username),
        exclude === undefined ? '' : digest(exclude),
      ]);
    },
  };
}

/** Live sessions, for the `crowdgate_sso_sessions` gauge. */
export async function countSharedSessions(pool: Pool, at = Date.now()): Promise<number> {
  const answer = await pool.query<{ n: string }>('SELECT count(*) AS n FROM crowd_sessions WHERE expires_at > $1', [
    at,
  ]);
  return Number(answer.rows[0]!.n);
}
