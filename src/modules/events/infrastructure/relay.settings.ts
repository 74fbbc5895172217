/** Tunables of the outbox relay (bound from AppConfig by the Events module). */
export abstract class RelaySettings {
  abstract enabled: boolean;
  abstract databaseUrl: string;
  abstract batchSize: number;
  abstract pollIntervalMs: number;
  abstract enqueueTimeoutMs: number;
}
