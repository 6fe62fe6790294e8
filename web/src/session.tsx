import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { onSessionExpired, rememberCsrfToken, request } from './graphql/client';

/** Who is signed in: the token's name and scope (READ sees everything and changes nothing). */
export interface Session {
  readonly tokenName: string;
  readonly scope: string;
  readonly expiresAt: string | null;
}

interface SessionState {
  /** undefined while the first whoAmI is under way. */
  readonly session: Session | null | undefined;
  /** True when the server answered 401 after sign-in: the sign-in is shown over the page. */
  readonly expired: boolean;
  signIn(token: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

const SESSION_FIELDS = 'tokenName scope expiresAt';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    request<{ whoAmI: Session }>(`{ whoAmI { ${SESSION_FIELDS} } }`)
      .then((data) => setSession(data.whoAmI))
      .catch(() => setSession(null));
  }, []);
  useEffect(() => onSessionExpired(() => setExpired(true)), []);

  const signIn = useCallback(async (token: string) => {
    const data = await request<{ createSession: Session & { csrfToken: string } }>(
      `mutation { createSession { ${SESSION_FIELDS} csrfToken } }`,
      {},
      { bearer: token },
    );
    const { csrfToken, ...signedIn } = data.createSession;
    rememberCsrfToken(csrfToken);
    setSession(signedIn);
    setExpired(false);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await request('mutation { endSession }');
    } finally {
      rememberCsrfToken(null);
      setSession(null);
      setExpired(false);
    }
  }, []);

  const value = useMemo(() => ({ session, expired, signIn, signOut }), [session, expired, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/**
 * Whether the signed-in token may change things, and if not, why: every control that writes is
 * disabled with this reason next to it.
 */
export function useWriteAccess(): { canWrite: boolean; reason: string } {
  const { session } = useSession();
  const canWrite = session?.scope === 'ADMIN';
  return {
    canWrite,
    reason: canWrite
      ? ''
      : `Read-only: you signed in with ${session ? `the ${session.scope} token "${session.tokenName}"` : 'no token'}, which sees everything and changes nothing.`,
  };
}
