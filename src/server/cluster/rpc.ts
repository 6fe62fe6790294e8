import { DirectoryError, isDirectoryError, isErrorCode } from '../../domain/errors';

/**
 * Calls from a serving worker to the primary over the cluster's IPC channel (node:cluster with
 * `serialization: 'advanced'`, so Dates and nested objects travel as they are). One request, one
 * answer, matched by id. A DirectoryError raised in the primary arrives as a DirectoryError with
 * the same code and message, so GraphQL and the Crowd facade answer exactly as in one process;
 * any other error arrives as INTERNAL with its message only (stacks stay in the primary's log).
 */
export interface CallMessage {
  readonly type: 'call';
  readonly id: number;
  readonly method: string;
  readonly args: readonly unknown[];
}

export interface ResultMessage {
  readonly type: 'result';
  readonly id: number;
  readonly value?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

/** The channel a worker has to its primary (`process` in a cluster worker). */
export interface Channel {
  send(message: unknown): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** A primary-side method a worker may call. */
export type Handler = (...args: never[]) => Promise<unknown>;

/** Worker side: `call('sessions.get', token)` resolves with what the primary's handler answered. */
export class PrimaryLink {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(private readonly channel: Channel) {
    channel.on('message', (message) => {
      if (!isResult(message)) return;
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.error)
        waiter.reject(
          new DirectoryError(isErrorCode(message.error.code) ? message.error.code : 'INTERNAL', message.error.message),
        );
      else waiter.resolve(message.value);
    });
  }

  call<T>(method: string, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const message: CallMessage = { type: 'call', id, method, args };
      this.channel.send(message);
    });
  }

  /** Fails every call still waiting (the primary is gone). */
  failAll(reason: string): void {
    for (const waiter of this.waiting.values()) waiter.reject(new DirectoryError('INTERNAL', reason));
    this.waiting.clear();
  }
}

/** Primary side: answers one call message with `handlers[method](...args)`. */
export async function answerCall(
  message: CallMessage,
  handlers: Readonly<Record<string, Handler>>,
  reply: (result: ResultMessage) => void,
): Promise<void> {
  const handler = Object.hasOwn(handlers, message.method) ? handlers[message.method] : undefined;
  try {
    if (!handler) throw new DirectoryError('INTERNAL', `unknown primary method ${message.method}`);
    const value = await (handler as (...args: readonly unknown[]) => Promise<unknown>)(...message.args);
    reply({ type: 'result', id: message.id, value });
  } catch (error) {
    const code = isDirectoryError(error) ? error.code : 'INTERNAL';
    reply({
      type: 'result',
      id: message.id,
      error: { code, message: error instanceof Error ? error.message : String(error) },
    });
  }
}

export function isCall(message: unknown): message is CallMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'call';
}

function isResult(message: unknown): message is ResultMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'result';
}
