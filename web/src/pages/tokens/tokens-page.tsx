/** Placeholder: built in this issue (see README). */
export function TokensPage() {
  return <h1>TokensPage</h1>;
}
