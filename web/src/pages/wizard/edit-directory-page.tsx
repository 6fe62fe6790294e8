/** Placeholder: built in this issue (see README). */
export function EditDirectoryPage() {
  return <h1>EditDirectoryPage</h1>;
}
