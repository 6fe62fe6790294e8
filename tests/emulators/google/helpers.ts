import { google, type admin_directory_v1 } from 'googleapis';
import {
  READONLY_SYNC_SCOPES,
  startGoogleEmulator,
  type GoogleEmulatorOptions,
  type RunningGoogleEmulator,
} from '../../../src/emulators/google';

/**
 * Drives the emulator the way crowdgate's connector will: googleapis' own `google.auth.JWT`
 * (domain-wide delegation) and `google.admin('directory_v1')`, unmodified. The only wiring is
 * a request interceptor on the JWT's gaxios transporter that sends
 * the hard-coded https://oauth2.googleapis.com/token to the emulator, and `rootUrl`.
 */

export type Admin = admin_directory_v1.Admin;
export type JWT = InstanceType<typeof google.auth.JWT>;

export interface JwtOptions {
  /** Impersonated user; default the emulator's super admin; null for none. */
  subject?: string | null;
  scopes?: string[];
  /** PEM private key; default the service account's. */
  key?: string;
  email?: string;
  forceRefreshOnFailure?: boolean;
  additionalClaims?: Record<string, unknown>;
}

export function loopbackJwt(emu: RunningGoogleEmulator, options: JwtOptions = {}): JWT {
  const sa = emu.serviceAccountKey;
  const subject = options.subject === undefined ? emu.adminEmail : options.subject;
  const auth = new google.auth.JWT({
    email: options.email ?? sa.client_email,
    key: options.key ?? sa.private_key,
    keyId: sa.private_key_id,
    scopes: options.scopes ?? [...READONLY_SYNC_SCOPES],
    ...(subject !== null ? { subject } : {}),
    ...(options.forceRefreshOnFailure ? { forceRefreshOnFailure: true } : {}),
    ...(options.additionalClaims ? { additionalClaims: options.additionalClaims } : {}),
  });
  return wireLoopback(emu, auth);
}

/**
 * Adds the §B.3 interceptor to an auth client's gaxios transporter (which carries both the token
 * POST and, through `auth.request`, every API call): https://oauth2.googleapis.com/* goes to the
 * emulator. It also hands gaxios Node's global `fetch`: gaxios 7 otherwise loads node-fetch with
 * a dynamic `import()`, which jest's CommonJS VM refuses without --experimental-vm-modules
 * (plain `node` is unaffected).
 */
export function wireLoopback<T extends { transporter: JWT['transporter'] }>(emu: RunningGoogleEmulator, auth: T): T {
  const tokenBase = emu.tokenUrl.slice(0, -'/token'.length);
  auth.transporter.interceptors.request.add({
    resolved: async (opts) => {
      const u = opts.url instanceof URL ? opts.url : new URL(String(opts.url));
      if (u.origin === 'https://oauth2.googleapis.com') opts.url = new URL(u.pathname + u.search, tokenBase);
      opts.fetchImplementation ??= globalThis.fetch;
      return opts;
    },
  });
  return auth;
}

export function adminClient(
  emu: RunningGoogleEmulator,
  auth: JWT | InstanceType<typeof google.auth.OAuth2> = loopbackJwt(emu),
): Admin {
  return google.admin({ version: 'directory_v1', auth, rootUrl: emu.rootUrl });
}

/** Follows nextPageToken to the end; returns every item and the number of pages. */
export async function pageAll<T>(
  fetch: (pageToken: string | undefined) => Promise<{ items: T[] | undefined; next: string | null | undefined }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await fetch(token);
    pages++;
    items.push(...(page.items ?? []));
    token = page.next ?? undefined;
  } while (token !== undefined);
  return { items, pages };
}

export async function allUsers(
  admin: Admin,
  params: admin_directory_v1.Params$Resource$Users$List = {},
): Promise<{ items: admin_directory_v1.Schema$User[]; pages: number }> {
  return pageAll(async (pageToken) => {
    const res = await admin.users.list({
      customer: 'my_customer',
      maxResults: 500,
      ...params,
      ...(pageToken ? { pageToken } : {}),
    });
    return { items: res.data.users, next: res.data.nextPageToken };
  });
}

export async function allGroups(
  admin: Admin,
  params: admin_directory_v1.Params$Resource$Groups$List = {},
): Promise<{ items: admin_directory_v1.Schema$Group[]; pages: number }> {
  return pageAll(async (pageToken) => {
    const res = await admin.groups.list({
      customer: 'my_customer',
      maxResults: 200,
      ...params,
      ...(pageToken ? { pageToken } : {}),
    });
    return { items: res.data.groups, next: res.data.nextPageToken };
  });
}

export async function allMembers(
  admin: Admin,
  groupKey: string,
  params: Omit<admin_directory_v1.Params$Resource$Members$List, 'groupKey'> = {},
): Promise<{ items: admin_directory_v1.Schema$Member[]; pages: number }> {
  return pageAll(async (pageToken) => {
    const res = await admin.members.list({ groupKey, maxResults: 200, ...params, ...(pageToken ? { pageToken } : {}) });
    return { items: res.data.members, next: res.data.nextPageToken };
  });
}

/** The error a googleapis call rejected with: HTTP status and Google's body. */
export interface CaughtError {
  status: number | undefined;
  data: unknown;
  message: string;
}

export async function caught(promise: Promise<unknown>): Promise<CaughtError> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status?: number; response?: { status?: number; data?: unknown }; message: string };
    return { status: e.status ?? e.response?.status, data: e.response?.data, message: e.message };
  }
  throw new Error('expected the call to fail');
}

/** `error.errors[0]` of a Google error body. */
export function firstReason(data: unknown): {
  code: number;
  message: string;
  reason: string;
  domain: string;
  status: string;
} {
  const error = (
    data as { error: { code: number; message: string; status: string; errors: { reason: string; domain: string }[] } }
  ).error;
  const first = error.errors[0];
  if (first === undefined) throw new Error('no errors[] in Google error body');
  return { code: error.code, message: error.message, reason: first.reason, domain: first.domain, status: error.status };
}

export async function startEmulator(
  options: Partial<GoogleEmulatorOptions> & Pick<GoogleEmulatorOptions, 'tenant'>,
): Promise<RunningGoogleEmulator> {
  return startGoogleEmulator(options);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
