import type { IncomingMessage, ServerResponse } from 'node:http';
import { mulberry32 } from './mulberry32';

/**
 * Faults every emulator can inject on demand, changeable while it runs. Vendor-specific signals
 * (Graph 429 + Retry-After, Google 403 userRateLimitExceeded, Okta 429 E0000047) are produced by
 * each emulator's own throttle; this module holds the vendor-neutral ones.
 */
export interface FaultSettings {
  /** Added to every response. */
  latencyMs: number;
  /** Uniform random extra latency in [0, jitterMs). */
  jitterMs: number;
  /** Share of requests answered 503 (0..1). */
  serverErrorRate: number;
  /** Share of requests whose connection is reset without an answer (0..1). */
  resetRate: number;
  /** Requests whose URL path matches this are never answered (until the fault is cleared). */
  hangPathPattern: string | null;
  /** Throttling on or off; the budget's meaning is the emulator's (RU per 10 s, queries per minute, calls per minute). */
  throttle: { enabled: boolean; budget: number | null };
  /** Access tokens expire after this many seconds (vendor default when null). */
  tokenLifetimeSeconds: number | null;
  /** Tokens issued before this instant are rejected as expired (401), to simulate early expiry. */
  revokeTokensBefore: number | null;
  /** Entra: the next delta round answers 410 (resync required). Okta: the log position is lost. */
  forceResync: boolean;
}

export const DEFAULT_FAULTS: FaultSettings = {
  latencyMs: 0,
  jitterMs: 0,
  serverErrorRate: 0,
  resetRate: 0,
  hangPathPattern: null,
  throttle: { enabled: false, budget: null },
  tokenLifetimeSeconds: null,
  revokeTokensBefore: null,
  forceResync: false,
};

export class Faults {
  settings: FaultSettings;
  /** Requests left unanswered by `hangPathPattern` so far. */
  hung = 0;
  private readonly random: () => number;

  constructor(initial: Partial<FaultSettings> = {}, seed = 1) {
    this.settings = { ...DEFAULT_FAULTS, ...initial };
    // Deterministic, so a test with a seed sees the same fault sequence.
    this.random = mulberry32(seed);
  }

  update(patch: Partial<FaultSettings>): FaultSettings {
    this.settings = { ...this.settings, ...patch };
    return this.settings;
  }

  reset(): void {
    this.settings = { ...DEFAULT_FAULTS };
  }

  /**
   * Applies latency, hangs, resets and 5xx before the emulator answers. Returns true when the
   * request has been dealt with (the emulator must not answer it).
   */
  async intercept(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const s = this.settings;
    const delay = s.latencyMs + (s.jitterMs > 0 ? this.random() * s.jitterMs : 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (s.hangPathPattern !== null && new RegExp(s.hangPathPattern).test(path)) {
      this.hung++;
      return true; // never answered
    }
    if (s.resetRate > 0 && this.random() < s.resetRate) {
      req.socket.destroy();
      return true;
    }
    if (s.serverErrorRate > 0 && this.random() < s.serverErrorRate) {
      res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' });
      res.end(
        JSON.stringify({ error: { code: 'serviceUnavailable', message: 'Injected fault: service unavailable' } }),
      );
      return true;
    }
    return false;
  }
}
