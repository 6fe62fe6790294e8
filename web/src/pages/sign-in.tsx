import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useSession } from '../session';
import { TextField } from '../ui/field';
import { Button } from '../ui/button';
import { ErrorNotice } from '../ui/notice';

/**
 * Sign in with an administrator token (or the one-time setup token printed at the first start).
 * The token is exchanged for a session cookie and is not kept by the page. As a dialog it is shown
 * over a page whose session expired: signing in again returns to it with everything typed intact.
 */
export function SignIn({ dialog = false }: { dialog?: boolean }) {
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const first = useRef<HTMLDivElement>(null);
  useEffect(() => first.current?.querySelector('input')?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() === '') {
      setError(new Error('Enter an administrator token.'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await signIn(token.trim());
      setToken('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const form = (
    <form className="sign-in card" onSubmit={(e) => void submit(e)} aria-labelledby={titleId}>
      <h1 id={titleId} tabIndex={-1}>
        {dialog ? 'Your session ended: sign in again' : 'Sign in to crowdgate'}
      </h1>
      {dialog ? <p>What you were doing is kept: sign in and carry on where you were.</p> : null}
      <ErrorNotice error={error} all />
      <div ref={first}>
        <TextField
          label="Administrator token"
          type="password"
          value={token}
          onChange={setToken}
          autoComplete="current-password"
          hint="An administrator token (createAdminToken), or on a fresh install the one-time setup token that crowdgate printed when it started."
        />
      </div>
      <Button type="submit" variant="primary" busy={busy}>
        Sign in
      </Button>
    </form>
  );
  if (!dialog) return <main className="sign-in-page">{form}</main>;
  return (
    <div className="dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby={titleId} className="dialog">
        {form}
      </div>
    </div>
  );
}
