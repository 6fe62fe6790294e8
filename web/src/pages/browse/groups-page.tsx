/** Placeholder: built in this issue (see README). */
export function GroupsPage() {
  return <h1>GroupsPage</h1>;
}
