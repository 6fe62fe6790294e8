/** Placeholder: built in this issue (see README). */
export function UsersPage() {
  return <h1>UsersPage</h1>;
}
