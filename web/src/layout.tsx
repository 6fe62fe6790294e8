import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { routes } from './routes';
import { useSession } from './session';
import { Button } from './ui/button';

const NAVIGATION: ReadonlyArray<{ href: string; label: string }> = [
  { href: routes.overview, label: 'Overview' },
  { href: routes.addDirectory, label: 'Add directory' },
  { href: routes.users, label: 'Users' },
  { href: routes.groups, label: 'Groups' },
  { href: routes.applications, label: 'Applications' },
  { href: routes.tokens, label: 'Tokens' },
  { href: routes.audit, label: 'Audit log' },
];

function isCurrent(location: string, href: string): boolean {
  return href === '/' ? location === '/' : location === href || location.startsWith(`${href}/`);
}

/** The frame of every signed-in page: a skip link, the navigation, who is signed in, the page. */
export function Layout({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  const { session, signOut } = useSession();
  // A new page (not the first) moves focus to its heading, so keyboard and screen-reader users
  // start at its top; the first page leaves focus where the browser puts it (the skip link first).
  const firstPage = useRef(true);
  useEffect(() => {
    if (firstPage.current) firstPage.current = false;
    else document.querySelector<HTMLElement>('main h1')?.focus();
  }, [location]);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">crowdgate</span>
        <nav aria-label="Main">
          <ul>
            {NAVIGATION.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={isCurrent(location, item.href) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {session?.tokenName} <span className={`scope scope-${session?.scope}`}>{session?.scope}</span>
          </span>
          <Button variant="link" onClick={() => void signOut()}>
            Sign out
          </Button>
        </div>
      </header>
      {session?.scope === 'READ' ? (
        <p className="readonly-banner" role="status">
          Signed in with a READ token: you can see everything and change nothing.
        </p>
      ) : null}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
