import { useEffect, useRef } from 'react';
import { Route, Router, Switch } from 'wouter';
import { Layout } from './layout';
import { CONSOLE_BASE } from './routes';
import { SessionProvider, useSession } from './session';
import { SignIn } from './pages/sign-in';
import { FirstStart } from './pages/first-start';
import { Overview } from './pages/overview';
import { NotFound } from './pages/not-found';
import { consoleRoutes } from './pages/registry';

/** The console: sign-in until a session exists, then the pages; an expired session puts the sign-in over the page. */
export function App() {
  return (
    <SessionProvider>
      <Router base={CONSOLE_BASE}>
        <Gate />
      </Router>
    </SessionProvider>
  );
}

function Gate() {
  const { session, expired } = useSession();
  const main = useRef<HTMLDivElement>(null);
  // While the sign-in dialog is open, the page behind it keeps its state but takes no input.
  useEffect(() => {
    if (!main.current) return;
    if (expired) main.current.setAttribute('inert', '');
    else main.current.removeAttribute('inert');
  }, [expired]);

  if (session === undefined)
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  if (session === null) return <SignIn />;
  if (session.scope === 'SETUP') return <FirstStart />;
  return (
    <>
      <div ref={main}>
        <Layout>
          <Switch>
            <Route path="/" component={Overview} />
            {consoleRoutes.map(({ path, component }) => (
              <Route key={path} path={path} component={component} />
            ))}
            <Route component={NotFound} />
          </Switch>
        </Layout>
      </div>
      {expired ? <SignIn dialog /> : null}
    </>
  );
}
