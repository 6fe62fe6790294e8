import type { Tenant, TenantSpec } from '../tenant';
import type { Faults, FaultSettings } from './faults';
import type { TenantState } from './tenant-state';

export type EmulatorKind = 'entra' | 'google' | 'okta';

/** How to start any emulator. */
export interface EmulatorOptions {
  /** The tenant to serve: a generated one, or a spec to generate. */
  readonly tenant: Tenant | TenantSpec;
  /** Loopback only; default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly faults?: Partial<FaultSettings>;
  /** Where credential files (keys, certificates) are written; default a fresh temporary directory. */
  readonly workDir?: string;
  /** Seed of fault decisions (latency jitter, error rates). */
  readonly faultSeed?: number;
}

/** A running emulator, as tests, benchmarks, the demo and `crowdgate emulate` use it. */
export interface RunningEmulator {
  readonly kind: EmulatorKind;
  /** Base URL of the vendor API (what the SDK is pointed at). */
  readonly url: string;
  /** Live tenant: change it in-process; every change shows in listings, delta and logs. */
  readonly state: TenantState;
  readonly faults: Faults;
  /** Bearer token of the control API at `${url}/_emulator/...` (see core/control.ts). */
  readonly controlToken: string;
  /**
   * A complete entry for the `directories:` list of crowdgate's configuration: name, provider and
   * that provider's connection settings, secrets included, working as it is.
   */
  directoryConfig(name: string): Record<string, unknown>;
  close(): Promise<void>;
}
