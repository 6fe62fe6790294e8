/** Placeholder: built in this issue (see README). */
export function ApplicationPage() {
  return <h1>ApplicationPage</h1>;
}
