import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/**
 * A dedicated PostgreSQL connection that LISTENs on one channel and reconnects on its own (a
 * pooled connection cannot hold a LISTEN). `onNotify` gets each payload; `onReconnect` lets the
 * owner catch up on what it may have missed while disconnected; `onDisconnect` tells it that
 * notifications may be missed from now on (until `onReconnect`).
 */
export class PgNotificationListener {
  private client: Client | null = null;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;
  private readonly logger = new Logger('PgListener');

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly onNotify: (payload: string) => void,
    private readonly onReconnect: () => void = () => undefined,
    private readonly onDisconnect: () => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect(false);
  }

  /** True while the LISTEN connection is up (no notification can be missed). */
  get listening(): boolean {
    return this.client !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(isReconnect: boolean): Promise<void> {
    const client = new Client({ connectionString: this.connectionString, application_name: `taskwire-listen-${this.channel}` });
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.onNotify(msg.payload ?? '');
    });
    client.on('error', (err) => {
      this.logger.warn(`LISTEN ${this.channel} connection lost: ${err.message}`);
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
      if (isReconnect) this.onReconnect();
    } catch (err) {
      await client.end().catch(() => undefined);
      if (!isReconnect) throw err;
      this.scheduleReconnect(client);
    }
  }

  private scheduleReconnect(failed: Client): void {
    if (this.stopped || (this.client && this.client !== failed)) return;
    if (this.client === failed) this.onDisconnect();
    this.client = null;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(true), 1000);
    this.retryTimer.unref();
  }
}
