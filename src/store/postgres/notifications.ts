import type { Client } from 'pg';
import { describeError, type Logger } from '../../logging/logger';
import { dedicatedClient, pause } from './dedicated-connection';

/** The channels crowdgate uses; payloads are short texts (PostgreSQL caps them at 8,000 bytes). */
export type Channel =
  'crowdgate_config' | 'crowdgate_data' | 'crowdgate_requests' | 'crowdgate_replies' | 'crowdgate_logins';

const CHANNELS: readonly Channel[] = [
  'crowdgate_config',
  'crowdgate_data',
  'crowdgate_requests',
  'crowdgate_replies',
  'crowdgate_logins',
];

/** Wait before connecting again after the listening connection was lost. */
const RECONNECT_MS = 1_000;

/**
 * PostgreSQL notifications (`LISTEN`/`NOTIFY`) for this node, on one dedicated connection: a
 * configuration change, new data, a request for the leader or its answer, announced by the node
 * that committed it (the store sends them inside its transactions, so they arrive after commit).
 * Delivery is at most once: while the connection is down nothing arrives, so each listener is
 * also told `resync` after every (re)connection, and must then look at the store itself.
 */
export class Notifications {
  private readonly listeners = new Map<Channel, Set<(payload: string) => void>>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly stopping = new AbortController();
  private client: Client | undefined;
  private loop: Promise<void> | undefined;
  private connected = false;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  /** Connects (in the background, again and again until `stop`). Resolves once first connected or failed once. */
  start(): Promise<void> {
    let first: () => void = () => undefined;
    const firstAttempt = new Promise<void>((resolve) => (first = resolve));
    this.loop ??= this.run(() => first());
    return firstAttempt;
  }

  on(channel: Channel, listener: (payload: string) => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Called after every (re)connection: notifications sent while disconnected are lost. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  get listening(): boolean {
    return this.connected;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.client?.end().catch(() => undefined);
    await this.loop;
  }

  private async run(attempted: () => void): Promise<void> {
    const signal = this.stopping.signal;
    let wasConnected = true;
    while (!signal.aborted) {
      const client = dedicatedClient(this.url, 'notifications');
      this.client = client;
      const lost = new Promise<void>((resolve) => {
        client.once('end', resolve);
        client.on('error', () => resolve());
      });
      try {
        await client.connect();
        for (const channel of CHANNELS) await client.query(`LISTEN ${channel}`);
        client.on('notification', (message) => this.deliver(message.channel as Channel, message.payload ?? ''));
        this.connected = true;
        if (!wasConnected) this.logger.info('listening to PostgreSQL notifications again');
        wasConnected = true;
        attempted();
        this.resync();
        await lost;
      } catch (error) {
        if (signal.aborted) break;
        if (wasConnected) this.logger.warn('PostgreSQL notifications unavailable', describeError(error));
        wasConnected = false;
        attempted();
      } finally {
        this.connected = false;
        client.removeAllListeners('notification');
        await client.end().catch(() => undefined);
      }
      if (!signal.aborted && wasConnected) {
        this.logger.warn('PostgreSQL notification connection lost; reconnecting');
        wasConnected = false;
      }
      await pause(RECONNECT_MS, signal);
    }
  }

  private deliver(channel: Channel, payload: string): void {
    for (const listener of this.listeners.get(channel) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        this.logger.error('notification listener failed', { channel, ...describeError(error) });
      }
    }
  }

  private resync(): void {
    for (const listener of this.resyncListeners) {
      try {
        listener();
      } catch (error) {
        this.logger.error('notification resync failed', describeError(error));
      }
    }
  }
}
