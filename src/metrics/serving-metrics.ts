import { Counter, Gauge, type Registry } from 'prom-client';
import { RequestTallies } from './request-tallies';
import { PREFIX } from './registry';

/** The front doors of crowdgate's HTTP server (`scim` arrives with the SCIM provider). */
export type FrontDoor = 'crowd' | 'graphql' | 'admin' | 'other';

/** What a password check at the provider came to (GraphQL `authenticateUser`, Crowd `POST /authentication`). */
export type PasswordOutcome = 'valid' | 'invalid' | 'inactive' | 'expired' | 'mfa-required' | 'unavailable';

/** Why the Crowd facade refused an application (its 401/403 answers). */
export type ApplicationRefusal = 'credentials' | 'inactive' | 'address' | 'over-limit';

/** Answers up to 10 s; Crowd lookups sit in the first buckets, a full `/group/membership` stream in the last. */
const STATUS_CLASSES = ['', '1xx', '2xx', '3xx', '4xx', '5xx'];

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * The metrics of a serving process (one per serving worker, summed by cluster-metrics.ts). The
 * per-request path only increments numbers (request-tallies.ts).
 */
export class ServingMetrics {
  private readonly tallies: RequestTallies;
  private readonly refusals: Counter<'application' | 'reason'>;
  private readonly passwords: Counter<'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.tallies = new RequestTallies(
      registry,
      { requests: `${PREFIX}http_requests_total`, latency: `${PREFIX}http_request_duration_seconds` },
      {
        requests: 'HTTP requests answered, by front door (crowd, graphql, admin), route family and status class',
        latency: 'Time from the request to the last byte of its answer, by front door and route family',
      },
      LATENCY_BUCKETS,
    );
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
    const statusClass = status >= 100 && status < 600 ? STATUS_CLASSES[Math.floor(status / 100)]! : 'none';
    this.tallies.record(door, route, statusClass, seconds);
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
