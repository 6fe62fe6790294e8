import { scryptSync, timingSafeEqual, randomBytes } from 'node:crypto';

/**
 * Cloud passwords and per-user MFA policy, for the ROPC (password) grant. Users have no password
 * until one is set (ROPC then fails like a wrong password: Entra does not support ROPC for
 * accounts without a password). Stored as scrypt hashes with a per-user salt.
 */
export class UserCredentials {
  private readonly passwords = new Map<string, { salt: Buffer; hash: Buffer }>();
  private readonly mfa = new Set<string>();

  setPassword(userId: string, password: string): void {
    const salt = randomBytes(16);
    this.passwords.set(userId, { salt, hash: scryptSync(password, salt, 32, { N: 1024 }) });
  }

  clearPassword(userId: string): void {
    this.passwords.delete(userId);
  }

  verify(userId: string, password: string): boolean {
    const entry = this.passwords.get(userId);
    if (!entry) return false;
    return timingSafeEqual(entry.hash, scryptSync(password, entry.salt, 32, { N: 1024 }));
  }

  /** When true, ROPC for this user fails with AADSTS50076 (MFA required), even with the right password. */
  setMfaRequired(userId: string, required: boolean): void {
    if (required) this.mfa.add(userId);
    else this.mfa.delete(userId);
  }

  mfaRequired(userId: string): boolean {
    return this.mfa.has(userId);
  }

  forget(userId: string): void {
    this.passwords.delete(userId);
    this.mfa.delete(userId);
  }
}
