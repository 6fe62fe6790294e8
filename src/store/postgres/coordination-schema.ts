/**
 * Tables of the multi-node coordination (src/nodes/): shared Crowd SSO sessions, the requests a
 * node forwards to the leader and the failed-login counts. Named migrations, run after the store's own (migrations.ts)
 * under the same lock. Append only: never edit one that has shipped.
 */
export const COORDINATION_MIGRATIONS: readonly { readonly name: string; readonly sql: string }[] = [
  {
    name: 'coordination-1',
    sql: `
    -- Crowd SSO sessions (src/nodes/shared-sessions.ts): a token made on one node is valid on all.
    -- Looked up by the token's SHA-256; the token itself only sealed with the store's data key, so
    -- that a login with the same user and factors can be handed the live session again (Crowd's rule).
    CREATE TABLE crowd_sessions (
      token_digest    text PRIMARY KEY,
      token_sealed    text NOT NULL,
      username        text NOT NULL,
      username_lower  text NOT NULL,
      factors         text NOT NULL,
      created_at      bigint NOT NULL,
      expires_at      bigint NOT NULL,
      ttl_ms          bigint NOT NULL
    );
    CREATE INDEX crowd_sessions_by_user ON crowd_sessions (username_lower, factors);
    CREATE INDEX crowd_sessions_by_expiry ON crowd_sessions (expires_at);

    -- Work for the leader (src/nodes/leader-requests.ts): "sync now", approvals and progress asked
    -- on another node. Arguments and answers are v8-serialised values (Dates travel as Dates).
    CREATE TABLE node_requests (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      method        text NOT NULL,
      arguments     bytea NOT NULL,
      requested_at  bigint NOT NULL,
      state         text NOT NULL DEFAULT 'pending',
      answer        bytea,
      answered_at   bigint
    );
    CREATE INDEX node_requests_pending ON node_requests (id) WHERE state = 'pending';

    -- Failed-login counts of the Crowd facade (src/nodes/shared-login-limits.ts): each key's
    -- newest record, so a node that starts (or reconnects) takes over what the others counted.
    CREATE TABLE login_failures (
      key         text PRIMARY KEY,
      failures    integer NOT NULL,
      at          bigint NOT NULL,
      not_before  bigint NOT NULL
    );
    CREATE INDEX login_failures_by_time ON login_failures (at);
    `,
  },
];
