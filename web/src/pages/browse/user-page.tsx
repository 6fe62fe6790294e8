/** Placeholder: built in this issue (see README). */
export function UserPage() {
  return <h1>UserPage</h1>;
}
