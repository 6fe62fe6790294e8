import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from '../core/faults';
import type { OktaDirectory } from './directory';
import type { LogStore } from './log-store';
import type { OrgContext } from './mapping';

/** One API request after routing: path normalised (no `//` prefix, no query). */
export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly req: IncomingMessage;
  /** Rate-limit and request-id headers are already set on it (`setHeader`). */
  readonly res: ServerResponse;
}

/** What route handlers share. */
export interface OktaContext {
  readonly directory: OktaDirectory;
  readonly org: OrgContext;
  readonly logs: LogStore;
  readonly faults: Faults;
}
