/** Placeholder: built in this issue (see README). */
export function ProviderChoice() {
  return <h1>ProviderChoice</h1>;
}
