/** Placeholder: built in this issue (see README). */
export function DirectoryPage() {
  return <h1>DirectoryPage</h1>;
}
