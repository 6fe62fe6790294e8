/** Placeholder: built in this issue (see README). */
export function GroupPage() {
  return <h1>GroupPage</h1>;
}
