import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { PREFIX } from './registry';

/** The front doors of crowdgate's HTTP server (`scim` arrives with the SCIM provider). */
export type FrontDoor = 'crowd' | 'graphql' | 'admin' | 'other';

/** What a password check at the provider came to (GraphQL `authenticateUser`, Crowd `POST /authentication`). */
export type PasswordOutcome =
  'valid' | 'invalid' | 'inactive' | 'expired' | 'mfa-required' | 'unavailable' | 'unknown-user';

/** Why the Crowd facade refused an application (its 401/403 answers). */
export type ApplicationRefusal = 'credentials' | 'inactive' | 'address' | 'over-limit';

/** Answers up to 10 s; Crowd lookups sit in the first buckets, a full `/group/membership` stream in the last. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * The metrics of a serving process (one per serving worker, summed by cluster-metrics.ts). The
 * per-request path costs a map lookup and two increments: label children are made once per
 * (door, route, status class) and kept, so no label object is hashed per request.
 */
export class ServingMetrics {
  private readonly requests: Counter<'door' | 'route' | 'status'>;
  private readonly latency: Histogram<'door' | 'route'>;
  private readonly refusals: Counter<'application' | 'reason'>;
  private readonly passwords: Counter<'outcome'>;
  private readonly children = new Map<
    string,
    { count: Counter.Internal; time: Histogram.Internal<'door' | 'route'> }
  >();

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: `${PREFIX}http_requests_total`,
      help: 'HTTP requests answered, by front door (crowd, graphql, admin), route family and status class',
      labelNames: ['door', 'route', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'Time from the request to the last byte of its answer, by front door and route family',
      labelNames: ['door', 'route'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.refusals = new Counter({
      name: `${PREFIX}crowd_application_auth_failures_total`,
      help: 'Crowd applications refused (401/403), by application ("(unknown)" for a name not configured) and reason',
      labelNames: ['application', 'reason'],
      registers,
    });
    this.passwords = new Counter({
      name: `${PREFIX}password_checks_total`,
      help: "Users' password checks at their identity provider, by outcome",
      labelNames: ['outcome'],
      registers,
    });
  }

  /** One answered request. `status`: the HTTP status sent (0 when the client went away first). */
  request(door: FrontDoor, route: string, status: number, seconds: number): void {
    const statusClass = status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'none';
    const key = `${door} ${route} ${statusClass}`;
    let child = this.children.get(key);
    if (child === undefined) {
      child = {
        count: this.requests.labels(door, route, statusClass),
        time: this.latency.labels(door, route),
      };
      this.children.set(key, child);
    }
    child.count.inc();
    child.time.observe(seconds);
  }

  applicationRefused(application: string, reason: ApplicationRefusal): void {
    this.refusals.inc({ application, reason });
  }

  passwordChecked(outcome: PasswordOutcome): void {
    this.passwords.inc({ outcome });
  }
}

/**
 * Seconds until the served TLS certificate expires, read at scrape time. With several serving
 * workers the smallest answer is kept (they may briefly differ around a reload), not the sum.
 */
export function tlsExpiryGauge(registry: Registry, secondsLeft: () => number | undefined): void {
  new Gauge({
    name: `${PREFIX}tls_certificate_expiry_seconds`,
    help: 'Seconds until the certificate served by server.tls expires',
    registers: [registry],
    aggregator: 'min',
    collect() {
      const left = secondsLeft();
      if (left !== undefined) this.set(left);
    },
  });
}
