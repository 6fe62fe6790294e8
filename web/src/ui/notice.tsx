import type { ReactNode } from 'react';
import { GraphQLFailure, messageOf } from '../graphql/client';

/** An error above a form or a page: the problems that name no field (or all, with `all`). */
export function ErrorNotice({ error, all }: { error: unknown; all?: boolean }) {
  if (!error) return null;
  const lines =
    error instanceof GraphQLFailure
      ? all || error.general().length === 0
        ? error.problems.map((p) => (p.field && all ? `${p.field}: ${p.message}` : p.message))
        : error.general()
      : [messageOf(error)];
  return (
    <div className="notice error" role="alert">
      {lines.map((line, i) => (
        <p key={i}>{line}</p>
      ))}
    </div>
  );
}

export function Notice({ kind, children }: { kind: 'info' | 'warning' | 'success' | 'error'; children: ReactNode }) {
  return (
    <div className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** The errors of a failure by field (empty for any other error). */
export function fieldErrors(error: unknown): Record<string, string> {
  return error instanceof GraphQLFailure ? error.byField() : {};
}
