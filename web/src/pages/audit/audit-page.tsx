/** Placeholder: built in this issue (see README). */
export function AuditPage() {
  return <h1>AuditPage</h1>;
}
