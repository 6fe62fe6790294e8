/** Provider kinds and directory states as the console names them. */
const PROVIDERS: Record<string, string> = {
  entra: 'Microsoft Entra ID',
  google: 'Google Workspace',
  okta: 'Okta',
  demo: 'Demo (Entra ID emulator)',
  scim: 'SCIM',
};

export function providerLabel(provider: string): string {
  return PROVIDERS[provider] ?? provider;
}

const STATUS_LABELS: Record<string, string> = {
  OK: 'Synchronised',
  SYNCING: 'Synchronising',
  FAILED: 'Last run failed',
  AWAITING_APPROVAL: 'Waiting for approval',
  NEVER_SYNCED: 'Never synchronised',
  DISABLED: 'Disabled',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{STATUS_LABELS[status] ?? status}</span>;
}
