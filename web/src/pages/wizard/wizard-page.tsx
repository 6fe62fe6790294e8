/** Placeholder: built in this issue (see README). */
export function WizardPage() {
  return <h1>WizardPage</h1>;
}
