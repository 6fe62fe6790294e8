import {
  ApplicationLoginLimit,
  type ApplicationLimitCounters,
  type ApplicationLoginLimitOptions,
} from './application-login-limit';
import { UserLoginDelays, type UserLimitCounters, type UserLoginDelayOptions } from './user-login-delays';

import type { FailureSink } from './reservation';
export type { FailureRecord, FailureSink, LimitCounters, Reservation } from './reservation';
export type { ApplicationLimitCounters } from './application-login-limit';
export type { UserAdmission, UserLimitCounters, UserSource } from './user-login-delays';
export { ApplicationLoginLimit, UserLoginDelays };

/**
 * The failed-login limits of the Crowd facade, and the counters that show them working:
 * - `application`: failed application logins (HTTP Basic) per client address
 *   (application-login-limit.ts);
 * - `user`: failed user password checks per username and source, with progressive delays
 *   (user-login-delays.ts).
 *
 * Both reserve an attempt before the slow check and settle it after (reservation.ts), so a
 * concurrent burst cannot get more checks than the budget. State and counters live in the memory
 * of this process: with serving workers (src/server/cluster/) each worker has its own. On a
 * PostgreSQL store every process also shares the failures it counts (`shared`), so a guess made
 * through one node counts on all. The
 * composition root (src/server/server.ts) makes one instance and hands it to the Crowd facade
 * (facades/ imports src/, never the reverse) and, as `LoginLimitsSource`, to GraphQL.
 */
export class LoginLimits implements LoginLimitsSource {
  readonly application: ApplicationLoginLimit;
  readonly user: UserLoginDelays;

  constructor(options: LoginLimitsOptions = {}) {
    const clock = options.now ? { now: options.now } : {};
    this.application = new ApplicationLoginLimit({ ...clock, ...options.application });
    this.user = new UserLoginDelays({ ...clock, ...options.user });
  }

  /** Sees and takes over the failures of other processes (src/nodes/shared-login-limits.ts). */
  static shared(options: LoginLimitsOptions, sinks: { application: FailureSink; user: FailureSink }): LoginLimits {
    return new LoginLimits({
      ...options,
      application: { ...options.application, sink: sinks.application },
      user: { ...options.user, sink: sinks.user },
    });
  }

  counters(): LoginLimitsReadout {
    return { application: this.application.counters(), user: this.user.counters() };
  }
}

export interface LoginLimitsOptions {
  readonly application?: ApplicationLoginLimitOptions;
  readonly user?: UserLoginDelayOptions;
  /** Clock for both, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

export interface LoginLimitsReadout {
  readonly application: ApplicationLimitCounters;
  readonly user: UserLimitCounters;
}

/** The read side, for the GraphQL query `loginLimits` and (later) metrics exporters. */
export interface LoginLimitsSource {
  counters(): LoginLimitsReadout;
}

/** What the GraphQL context of a serving process carries besides `GraphQLContext` (src/server/server.ts). */
export interface LoginLimitsContext {
  readonly loginLimits?: LoginLimitsSource;
}
