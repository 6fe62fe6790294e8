import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunningEmulator } from '../../../src/emulators/core/emulator';
import { startEntraEmulator } from '../../../src/emulators/entra';
import { startGoogleEmulator } from '../../../src/emulators/google';
import { startOktaEmulator } from '../../../src/emulators/okta';
import type { TenantSpec } from '../../../src/emulators/tenant';
import { createEntraProvider, parseEntraSettings } from '../../../src/providers/entra';
import { createGoogleProvider, parseGoogleSettings } from '../../../src/providers/google';
import { createOktaProvider, parseOktaSettings } from '../../../src/providers/okta';
import type { DirectoryProvider } from '../../../src/providers/provider';

export type Kind = 'entra' | 'okta' | 'google';

/** The retry policy knobs every connector has (each connector's retry.ts). */
export interface Policy {
  readonly maxAttempts: number;
  readonly maxThrottleRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly requestTimeoutMs: number;
}

/** A provider the matrix can close. */
export type ClosableProvider = DirectoryProvider & { close(): Promise<void> };

/**
 * A running emulator of one kind with a request counter: every request of the vendor API and the
 * token endpoints passes through `faults.intercept` (each emulator's server.ts), so wrapping it
 * counts them and lets faults start and stop at request N — "a random point of a run" measured in
 * events, never in time.
 */
export interface CountedEmulator {
  readonly kind: Kind;
  readonly emu: RunningEmulator;
  /** Requests seen so far. */
  readonly requests: () => number;
  /** Runs `action` when request number `n` (absolute, see `requests()`) arrives, before it is served. */
  at(n: number, action: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** Drops every pending trigger. */
  clearTriggers(): void;
  /** The connector as the registry builds it, with a given retry policy and a variant (Entra member reads, Okta auth). */
  provider(policy: Policy, variant: string): ClosableProvider;
  /** The `directories:` entry for the CLI (secrets included). */
  directoryEntry(variant: string): Record<string, unknown>;
  /** Variants worth drawing for this kind. */
  readonly variants: readonly string[];
  /** The change feed kind supports incremental runs. */
  readonly delta: boolean;
  /** Tenant user ids the matrix must not delete, rename or disable (Google's impersonated admin). */
  readonly protectedIds: ReadonlySet<string>;
  /** Okta serves no nesting. */
  readonly nesting: boolean;
  close(): Promise<void>;
}

/**
 * The Okta SDK reads OKTA_* variables, okta.yaml and https_proxy: keep them out
 * (https://github.com/okta/okta-sdk-nodejs, src/config-loader.js).
 */
export function scrubOktaEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  for (const name of Object.keys(env)) if (/^OKTA_/i.test(name) || /^https?_proxy$/i.test(name)) delete env[name];
  return env;
}

export async function startCounted(kind: Kind, tenant: TenantSpec, faultSeed: number): Promise<CountedEmulator> {
  let emu: RunningEmulator;
  if (kind === 'entra') emu = await startEntraEmulator({ tenant, faultSeed });
  else if (kind === 'okta') {
    scrubOktaEnvironment();
    emu = await startOktaEmulator({ tenant, faultSeed, rateLimitWindowSeconds: 1 });
  } else emu = await startGoogleEmulator({ tenant, faultSeed });

  let count = 0;
  let triggers: { n: number; action: (req: IncomingMessage, res: ServerResponse) => void }[] = [];
  const faults = emu.faults;
  const intercept = faults.intercept.bind(faults);
  faults.intercept = (req, res) => {
    count++;
    if (triggers.length > 0) {
      const due = triggers.filter((t) => t.n <= count);
      if (due.length > 0) {
        triggers = triggers.filter((t) => t.n > count);
        for (const t of due) t.action(req, res);
      }
    }
    return intercept(req, res);
  };

  const base = emu.directoryConfig('corp') as Record<string, Record<string, unknown>>;
  let protectedIds = new Set<string>();
  if (kind === 'google') {
    const admin = String(base['google']!['adminEmail']).toLowerCase();
    protectedIds = new Set(
      [...emu.state.users.values()].filter((u) => u.login.toLowerCase() === admin).map((u) => u.id),
    );
  }
  const entry = (variant: string): Record<string, unknown> => {
    if (kind === 'okta')
      return (emu as unknown as { directoryConfig(n: string, a: string): Record<string, unknown> }).directoryConfig(
        'corp',
        variant === 'oauth' ? 'oauth' : 'ssws',
      );
    if (kind === 'google') return { ...base, google: { ...base['google'], queriesPerMinute: 600_000 } };
    return { ...base, entra: { ...base['entra'], ...(variant === 'pages' ? { memberReads: 'pages' } : {}) } };
  };

  return {
    kind,
    emu,
    requests: () => count,
    at: (n, action) => {
      triggers.push({ n, action });
    },
    clearTriggers: () => {
      triggers = [];
    },
    provider: (policy, variant) => {
      const block = entry(variant)[kind];
      if (kind === 'entra') return createEntraProvider(parseEntraSettings(block, 'corp'), { retry: policy });
      if (kind === 'okta') return createOktaProvider(parseOktaSettings(block, 'corp'), { retry: policy });
      return createGoogleProvider(parseGoogleSettings(block, 'corp'), { retry: policy });
    },
    directoryEntry: entry,
    variants: kind === 'entra' ? ['delta', 'pages'] : kind === 'okta' ? ['oauth', 'oauth', 'ssws'] : ['default'],
    delta: kind !== 'google',
    protectedIds,
    nesting: kind !== 'okta',
    close: () => emu.close(),
  };
}
