import type { Logger } from '@threadline/core';
import type { Pool, PoolClient } from 'pg';
import type { StopListening } from './driver';

/** First wait before reconnecting a dropped LISTEN connection; it doubles up to the maximum. */
export const LISTEN_RECONNECT_INITIAL_MS = 100;
/** A restarting server is usually back within seconds; never wait longer than this between tries. */
export const LISTEN_RECONNECT_MAX_MS = 5_000;

type Callback = (payload: string) => void;

/**
 * One dedicated connection that holds every LISTEN of a store. LISTEN is per connection, so it
 * cannot ride on pooled connections that come and go. When the connection drops (a database
 * restart, a failover, `pg_terminate_backend`) it reconnects with backoff and listens again;
 * notifications sent while it was away are lost, as the pub/sub contract allows (readers catch up
 * from the thread).
 */
export class PgListener {
  private readonly channels = new Map<string, Set<Callback>>();
  private client: PoolClient | null = null;
  private connecting: Promise<PoolClient> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay = LISTEN_RECONNECT_INITIAL_MS;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
  ) {}

  /** Registers `callback` for `channel`, connecting and issuing LISTEN when it is the first. */
  async listen(channel: string, callback: Callback): Promise<StopListening> {
    const callbacks = this.channels.get(channel) ?? new Set<Callback>();
    const isNew = callbacks.size === 0;
    callbacks.add(callback);
    this.channels.set(channel, callbacks);
    try {
      const client = await this.ensure();
      // A reconnect that raced with this call may have listened already; LISTEN twice is a no-op.
      if (isNew) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      this.forget(channel, callback);
      throw error;
    }
    return async () => {
      if (!this.forget(channel, callback)) return;
      // Best effort: if the connection is gone, so is the registration.
      await this.client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
    };
  }

  /** Stops reconnecting and gives the connection back (destroyed: it carries LISTEN state). */
  async close(): Promise<void> {
    this.closed = true;
    this.channels.clear();
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    const client = this.client ?? (await this.connecting?.catch(() => null)) ?? null;
    this.client = null;
    if (client !== null) client.release(true);
  }

  /** Removes a callback; `true` when it was the channel's last. */
  private forget(channel: string, callback: Callback): boolean {
    const callbacks = this.channels.get(channel);
    if (callbacks === undefined || !callbacks.delete(callback)) return false;
    if (callbacks.size > 0) return false;
    this.channels.delete(channel);
    return true;
  }

  private ensure(): Promise<PoolClient> {
    if (this.client !== null) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(): Promise<PoolClient> {
    const client = await this.pool.connect();
    client.on('notification', (message) => {
      for (const callback of this.channels.get(message.channel) ?? []) {
        callback(message.payload ?? '');
      }
    });
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('LISTEN connection ended')));
    try {
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      client.release(true);
      throw error;
    }
    if (this.closed) {
      client.release(true);
      throw new Error('The store was closed while its LISTEN connection opened');
    }
    this.client = client;
    this.retryDelay = LISTEN_RECONNECT_INITIAL_MS;
    return client;
  }

  private lost(client: PoolClient, error: Error): void {
    if (this.client !== client) return;
    this.client = null;
    try {
      client.release(true);
    } catch {
      // Already released by the pool's own error handling.
    }
    if (this.closed) return;
    this.logger.warn({ error: error.message }, 'postgres store: LISTEN connection lost');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer !== null || this.channels.size === 0) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, LISTEN_RECONNECT_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ensure().then(
        () => this.logger.info({}, 'postgres store: LISTEN connection restored'),
        (error: unknown) => {
          this.logger.warn(
            { error: error instanceof Error ? error.message : String(error) },
            'postgres store: LISTEN reconnect failed; trying again',
          );
          this.scheduleReconnect();
        },
      );
    }, delay);
    // A pending reconnect must not keep an otherwise finished process alive.
    this.retryTimer.unref();
  }
}
