import { DirectoryError } from '../domain/errors';
import { foldName } from '../domain/names';
import type { ConfigKind } from '../store/config-records';
import type { Store } from '../store/store';
import type { MasterKey } from '../security/master-key';
import { newDataKey, SecretBox, unwrapDataKey, wrapDataKey } from '../security/secret-box';

/**
 * The secrets of configuration entries made through the API, sealed with the store's one data
 * key (src/security/secret-box.ts), which the store keeps wrapped by the master key. Each entry's
 * secrets are sealed as one JSON object bound to the entry (`directory:corp`), so a sealed value
 * copied to another entry does not open.
 */
export class SecretVault {
  private constructor(private readonly box: SecretBox) {}

  /** Unwraps the store's data key, creating it on first use (compare-and-set: processes starting together agree). */
  static async open(store: Store, master: MasterKey): Promise<SecretVault> {
    for (;;) {
      const wrapped = await store.wrappedDataKey();
      if (wrapped !== null) return new SecretVault(new SecretBox(unwrapDataKey(master, wrapped)));
      const dataKey = newDataKey();
      if (await store.replaceWrappedDataKey(null, wrapDataKey(master, dataKey)))
        return new SecretVault(new SecretBox(dataKey));
    }
  }

  /** null when there is no secret to keep. */
  seal(kind: ConfigKind, name: string, secrets: Readonly<Record<string, string>>): string | null {
    return Object.keys(secrets).length === 0 ? null : this.box.sealJson(secrets, context(kind, name));
  }

  open(kind: ConfigKind, name: string, sealed: string | null): Record<string, string> {
    return sealed === null ? {} : this.box.openJson<Record<string, string>>(sealed, context(kind, name));
  }

  /** Seals a value kept for another purpose than an entry's secrets (a shared SSO token); `purpose` binds it. */
  sealValue(purpose: string, value: string): string {
    return this.box.sealJson(value, `value:${purpose}`);
  }

  openValue(purpose: string, sealed: string): string {
    return this.box.openJson<string>(sealed, `value:${purpose}`);
  }
}

function context(kind: ConfigKind, name: string): string {
  return `${kind}:${foldName(name)}`;
}

/**
 * Re-wraps the store's data key under a new master key (`crowdgate rotate-secret-key`): one
 * compare-and-set, so the secrets themselves are not rewritten and a crash leaves either key
 * valid. Throws CONFIGURATION when `current` does not open the store's data key.
 */
export async function rewrapDataKey(store: Store, current: MasterKey, next: MasterKey): Promise<void> {
  const wrapped = await store.wrappedDataKey();
  if (wrapped === null) {
    await store.replaceWrappedDataKey(null, wrapDataKey(next, newDataKey()));
    return;
  }
  const dataKey = unwrapDataKey(current, wrapped);
  if (!(await store.replaceWrappedDataKey(wrapped, wrapDataKey(next, dataKey))))
    throw new DirectoryError('CONFLICT', 'the data key changed while it was being re-wrapped; run the rotation again');
}
