import { Link } from 'wouter';

export function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        This address is not a page of the console. <Link href="/">Go to the overview</Link>.
      </p>
    </section>
  );
}
