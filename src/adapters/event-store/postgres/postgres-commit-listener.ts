import type pg from 'pg';
import type { WakeSignal } from '../wake-signal.js';

/**
 * LISTENs on the store's channel on a dedicated connection and wakes subscriptions when any
 * process commits an append. If the connection drops it reconnects after a pause; subscriptions
 * keep polling meanwhile, so a lost notification only delays them.
 */
export class PostgresCommitListener {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly connect: () => Promise<pg.Client>,
    private readonly channel: string,
    private readonly signal: WakeSignal,
    private readonly reconnectMs = 1000,
    /** A notification (its payload: the group's last position) that needs no wake-up. */
    private readonly ignore: (payload: string | undefined) => boolean = () => false,
  ) {}

  start(): void {
    if (this.stopped || this.client || this.connecting || this.retry) return;
    this.connecting = this.listen().finally(() => (this.connecting = undefined));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    let client: pg.Client | undefined;
    try {
      client = await this.connect();
      client.on('notification', (message) => {
        if (!this.ignore(message.payload)) this.signal.notify();
      });
      client.on('error', () => this.dropped(client!));
      client.on('end', () => this.dropped(client!));
      await client.query(`LISTEN "${this.channel}"`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      // Commits made while we were not listening would otherwise wait for the poll.
      this.signal.notify();
    } catch {
      await client?.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private dropped(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.start();
    }, this.reconnectMs);
  }
}
