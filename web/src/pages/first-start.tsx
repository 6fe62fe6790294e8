import { useState, type FormEvent } from 'react';
import { request } from '../graphql/client';
import { useSession } from '../session';
import { Button } from '../ui/button';
import { CopyValue } from '../ui/copy-button';
import { TextField } from '../ui/field';
import { ErrorNotice, fieldErrors } from '../ui/notice';
import { useAction } from '../ui/use-query';

/**
 * Signed in with the one-time setup token: the only thing to do is to create the first
 * administrator token (which ends the setup token), keep it, and sign in with it.
 */
export function FirstStart() {
  const { signIn, signOut } = useSession();
  const [name, setName] = useState('admin');
  const [token, setToken] = useState<string | null>(null);
  const create = useAction(async (tokenName: string) => {
    const data = await request<{ createAdminToken: { token: string } }>(
      'mutation($name: String!) { createAdminToken(name: $name, scope: ADMIN) { token } }',
      { name: tokenName },
    );
    return data.createAdminToken.token;
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await create.run(name.trim());
    if (created) setToken(created);
  };
  return (
    <main className="sign-in-page">
      <section className="card sign-in">
        <h1 tabIndex={-1}>Welcome to crowdgate</h1>
        {token === null ? (
          <form onSubmit={(e) => void submit(e)}>
            <p>
              You signed in with the one-time setup token. Create your administrator token: it replaces the setup token,
              which stops working.
            </p>
            <ErrorNotice error={create.error} />
            <TextField
              label="Token name"
              value={name}
              onChange={setName}
              required
              error={fieldErrors(create.error).name}
            />
            <Button type="submit" variant="primary" busy={create.busy}>
              Create administrator token
            </Button>
          </form>
        ) : (
          <>
            <p>
              This is your administrator token. It is shown this once and stored only as a hash: keep it in your
              password manager now.
            </p>
            <CopyValue value={token} label="administrator token" />
            <div className="actions">
              <Button variant="primary" onClick={() => void signIn(token)}>
                Sign in with this token
              </Button>
            </div>
          </>
        )}
        <Button variant="link" onClick={() => void signOut()}>
          Sign out
        </Button>
      </section>
    </main>
  );
}
