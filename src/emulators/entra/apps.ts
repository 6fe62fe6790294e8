import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Application registrations of the emulated tenant (Entra "App registrations" + admin consent).
 * Permissions are Graph application permissions (app roles such as `User.Read.All`); they are
 * copied into an access token's `roles` claim when it is issued, so — as in Entra — a grant or
 * revocation only affects tokens issued afterwards.
 */

/** What a connector needs by default: read users, groups and group members. */
export const DEFAULT_PERMISSIONS: readonly string[] = ['User.Read.All', 'Group.Read.All', 'GroupMember.Read.All'];

export interface ClientSecretEntry {
  readonly value: string;
  /** null: never expires. */
  readonly expiresAt: Date | null;
}

export interface Application {
  readonly clientId: string;
  readonly displayName: string;
  readonly secrets: ClientSecretEntry[];
  readonly permissions: Set<string>;
  /** "Allow public client flows": needed for ROPC without a client secret (else AADSTS7000218). */
  allowPublicClient: boolean;
}

export interface RegisterApplicationInput {
  /** Default: a random GUID. */
  clientId?: string;
  displayName?: string;
  /** Default: a fresh random secret; null registers no secret at all. */
  clientSecret?: string | null;
  /** Expiry of that secret; a past date makes it expired (AADSTS7000222). Default: never. */
  secretExpiresAt?: Date | null;
  /** Graph application permissions; default {@link DEFAULT_PERMISSIONS}. */
  permissions?: readonly string[];
  /** Default true. */
  allowPublicClient?: boolean;
}

export interface RegisteredApplication {
  readonly clientId: string;
  /** null when registered without a secret. */
  readonly clientSecret: string | null;
}

/** Entra-looking secret value: 40 characters with the `Q~` marker at position 3. */
export function newSecretValue(): string {
  const body = randomBytes(30).toString('base64').replace(/[+/=]/g, '_').slice(0, 37);
  return `${body.slice(0, 3)}8Q~${body.slice(3, 37)}`;
}

export class AppRegistry {
  private readonly apps = new Map<string, Application>();

  register(input: RegisterApplicationInput = {}): RegisteredApplication {
    const clientId = input.clientId ?? randomUUID();
    if (this.apps.has(clientId.toLowerCase())) throw new Error(`application ${clientId} is already registered`);
    const secret = input.clientSecret === undefined ? newSecretValue() : input.clientSecret;
    const app: Application = {
      clientId,
      displayName: input.displayName ?? `app-${clientId.slice(0, 8)}`,
      secrets: secret === null ? [] : [{ value: secret, expiresAt: input.secretExpiresAt ?? null }],
      permissions: new Set(input.permissions ?? DEFAULT_PERMISSIONS),
      allowPublicClient: input.allowPublicClient ?? true,
    };
    this.apps.set(clientId.toLowerCase(), app);
    return { clientId, clientSecret: secret };
  }

  /** Client ids are GUIDs: matched case-insensitively, as Entra does. */
  get(clientId: string): Application | undefined {
    return this.apps.get(clientId.toLowerCase());
  }

  require(clientId: string): Application {
    const app = this.get(clientId);
    if (!app) throw new Error(`no application ${clientId}`);
    return app;
  }

  grant(clientId: string, permissions: readonly string[]): void {
    const app = this.require(clientId);
    for (const p of permissions) app.permissions.add(p);
  }

  revoke(clientId: string, permissions: readonly string[]): void {
    const app = this.require(clientId);
    for (const p of permissions) app.permissions.delete(p);
  }

  addSecret(clientId: string, options: { value?: string; expiresAt?: Date | null } = {}): string {
    const value = options.value ?? newSecretValue();
    this.require(clientId).secrets.push({ value, expiresAt: options.expiresAt ?? null });
    return value;
  }

  /** Outcome of presenting `secret`: a valid one, an expired one, or none matching. */
  checkSecret(app: Application, secret: string, now: Date): 'valid' | 'expired' | 'invalid' {
    let expired = false;
    for (const s of app.secrets) {
      if (s.value !== secret) continue;
      if (s.expiresAt === null || s.expiresAt > now) return 'valid';
      expired = true;
    }
    return expired ? 'expired' : 'invalid';
  }
}
