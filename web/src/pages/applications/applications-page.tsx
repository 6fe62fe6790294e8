/** Placeholder: built in this issue (see README). */
export function ApplicationsPage() {
  return <h1>ApplicationsPage</h1>;
}
