import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from '../../src/emulators/core/faults';

/**
 * What an emulator saw on the wire, for tests that check a connector's own counts (`stats()`)
 * against it: every vendor request (token endpoint included) passes the emulator's
 * `faults.intercept` before anything else answers it, so the tap wraps that method of the running
 * emulator, counts the request and the status it was finally answered with, and can answer chosen
 * requests itself (`inject`) — an exact number of 429s or 503s, where the emulator's own fault
 * rates are random. `restore()` puts the emulator's method back.
 */
export interface Injected {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** Decides about one request (path without the query): answer it with this, or null to let the emulator answer. */
export type Injector = (path: string, req: IncomingMessage) => Injected | null;

export interface RequestTap {
  /** Requests the emulator received. */
  readonly received: number;
  /** Requests the injector answered. */
  readonly injected: number;
  /** Answers sent, by status (the emulator's own and injected ones). */
  answered(status: number): number;
  /** Graph `$batch` items answered with this status (read from the `$batch` answers sent). */
  batchItems(status: number): number;
  restore(): void;
}

export function tapRequests(faults: Faults, inject: Injector = () => null): RequestTap {
  const original = faults.intercept;
  let received = 0;
  let injected = 0;
  const statuses = new Map<number, number>();
  const items = new Map<number, number>();
  const bump = (map: Map<number, number>, status: number) => map.set(status, (map.get(status) ?? 0) + 1);
  faults.intercept = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    received++;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    res.once('finish', () => bump(statuses, res.statusCode));
    if (path.endsWith('/$batch')) watchBatch(res, (status) => bump(items, status));
    const answer = inject(path, req);
    if (answer === null) return original.call(faults, req, res);
    injected++;
    const body = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    res.end(body);
    return true;
  };
  return {
    get received() {
      return received;
    },
    get injected() {
      return injected;
    },
    answered: (status) => statuses.get(status) ?? 0,
    batchItems: (status) => items.get(status) ?? 0,
    restore: () => {
      faults.intercept = original;
    },
  };
}

/** Reads the item statuses of a `$batch` answer as it is written (the Entra emulator writes it with one `end`). */
function watchBatch(res: ServerResponse, item: (status: number) => void): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  (res as unknown as { end: (...args: unknown[]) => ServerResponse }).end = (...args: unknown[]) => {
    const [chunk] = args;
    if (res.statusCode === 200 && (typeof chunk === 'string' || Buffer.isBuffer(chunk))) {
      const parsed = JSON.parse(chunk.toString()) as { responses?: { status?: number }[] };
      for (const r of parsed.responses ?? []) item(r.status ?? 0);
    }
    return end(...args);
  };
}

/** An answer, or how to make one when it is sent (headers that carry the time). */
export type Answer = Injected | (() => Injected);

const make = (answer: Answer): Injected => (typeof answer === 'function' ? answer() : answer);

/** The first `count` requests whose path matches `pattern` are answered `answer`; the rest go to the emulator. */
export function firstMatching(pattern: RegExp, count: number, answer: Answer): Injector {
  let left = count;
  return (path) => {
    if (left === 0 || !pattern.test(path)) return null;
    left--;
    return make(answer);
  };
}

/** Every request whose path matches `pattern` is answered `answer`. */
export function everyMatching(pattern: RegExp, answer: Answer): Injector {
  return (path) => (pattern.test(path) ? make(answer) : null);
}

/** Collects an async iterable (a provider listing). */
export async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
