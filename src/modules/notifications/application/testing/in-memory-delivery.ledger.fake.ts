import { newId } from '../../../../kernel';
import { EventView } from '../../../events';
import { Delivery, DeliveryStatus, PlannedDelivery, SuppressedReason, statusesFor } from '../../domain/delivery';
import { ClaimedDelivery, DeliveryFilter, DeliveryLedger, DeliveryPage } from '../ports/delivery-ledger.port';

/** The ledger in memory, with the same rules as the PostgreSQL one (uniqueness, claims, leases). */
export class InMemoryDeliveryLedger extends DeliveryLedger {
  readonly rows = new Map<string, Delivery & { leaseToken: string | null }>();
  readonly events = new Map<string, EventView>();
  now = () => new Date();

  async record(event: Pick<EventView, 'id' | 'type'>, planned: readonly PlannedDelivery[]): Promise<Delivery[]> {
    const inserted: Delivery[] = [];
    for (const p of planned) {
      const target = p.recipientId ?? p.webhookId;
      const exists = [...this.rows.values()].some(
        (r) => r.eventId === event.id && r.channel === p.channel && (r.recipientId ?? r.webhookId) === target,
      );
      if (exists) continue;
      const now = this.now();
      const row = {
        id: newId(),
        eventId: event.id,
        eventType: event.type,
        channel: p.channel,
        recipientId: p.recipientId,
        webhookId: p.webhookId,
        status: p.status as DeliveryStatus,
        suppressedReason: p.suppressedReason,
        attempts: p.status === 'sent' || p.status === 'sending' ? 1 : 0,
        scheduleOffset: 0,
        lastError: null,
        nextAttemptAt: p.status === 'pending' ? now : p.status === 'sending' ? new Date(now.getTime() + (p.lease?.ms ?? 0)) : null,
        sentAt: p.status === 'sent' ? now : null,
        digestId: null as string | null,
        createdAt: now,
        updatedAt: now,
        leaseToken: p.status === 'sending' ? (p.lease?.token ?? newId()) : null,
      };
      this.rows.set(row.id, row);
      inserted.push(this.copy(row));
    }
    return inserted;
  }

  private copy(row: Delivery & { leaseToken?: string | null }): Delivery {
    const { leaseToken: _ignored, ...delivery } = row;
    return { ...delivery };
  }

  async find(id: string): Promise<Delivery | null> {
    const row = this.rows.get(id);
    return row ? this.copy(row) : null;
  }

  async claim(id: string, leaseMs: number): Promise<ClaimedDelivery | null> {
    const row = this.rows.get(id);
    const now = this.now().getTime();
    if (!row) return null;
    const due = row.nextAttemptAt?.getTime() ?? 0;
    const claimable =
      ((row.status === 'pending' || row.status === 'failed') && due <= now + 2000) || (row.status === 'sending' && due < now);
    if (!claimable) return null;
    row.status = 'sending';
    row.attempts += 1;
    row.leaseToken = newId();
    row.nextAttemptAt = new Date(now + leaseMs);
    const event = this.events.get(row.eventId);
    if (!event) throw new Error(`fake ledger: no event ${row.eventId}`);
    return { delivery: this.copy(row), leaseToken: row.leaseToken, event, ...(this.claimReads?.(this.copy(row)) ?? {}) };
  }

  /** What a ledger reads with the claim (the Postgres one: endpoint, digest setting); none by default. */
  claimReads: ((row: Delivery) => Pick<ClaimedDelivery, 'endpoint' | 'emailDigest'>) | null = null;

  private settle(id: string, token: string, change: Partial<Delivery>): boolean {
    const row = this.rows.get(id);
    if (!row || row.status !== 'sending' || row.leaseToken !== token) return false;
    Object.assign(row, change, { leaseToken: null, updatedAt: this.now() });
    return true;
  }

  async release(claims: ReadonlyArray<{ id: string; leaseToken: string }>): Promise<string[]> {
    const given: string[] = [];
    for (const { id, leaseToken } of claims) {
      const row = this.rows.get(id);
      if (!row || row.status !== 'sending' || row.leaseToken !== leaseToken) continue;
      Object.assign(row, { status: 'pending', attempts: Math.max(row.attempts - 1, 0), leaseToken: null, nextAttemptAt: this.now() });
      given.push(id);
    }
    return given;
  }

  async renewLease(id: string, leaseToken: string, leaseMs: number): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.status !== 'sending' || row.leaseToken !== leaseToken) return false;
    row.nextAttemptAt = new Date(this.now().getTime() + leaseMs);
    return true;
  }

  async markSent(id: string, leaseToken: string): Promise<boolean> {
    return this.settle(id, leaseToken, { status: 'sent', sentAt: this.now(), nextAttemptAt: null });
  }

  async markFailed(id: string, leaseToken: string, error: string, retryInMs: number): Promise<boolean> {
    return this.settle(id, leaseToken, { status: 'failed', lastError: error, nextAttemptAt: new Date(this.now().getTime() + retryInMs) });
  }

  async markDead(id: string, leaseToken: string, error: string): Promise<boolean> {
    return this.settle(id, leaseToken, { status: 'dead', lastError: error, nextAttemptAt: null });
  }

  async markSuppressed(id: string, leaseToken: string, reason: SuppressedReason): Promise<boolean> {
    return this.settle(id, leaseToken, { status: 'suppressed', suppressedReason: reason, nextAttemptAt: null });
  }

  async requeue(id: string, from: readonly DeliveryStatus[]): Promise<Delivery | null> {
    const row = this.rows.get(id);
    if (!row || !from.includes(row.status)) return null;
    Object.assign(row, { status: 'pending', scheduleOffset: row.attempts, nextAttemptAt: this.now(), sentAt: null, leaseToken: null });
    return this.copy(row);
  }

  async list(filter: DeliveryFilter, limit: number, beforeId: string | null): Promise<DeliveryPage> {
    const all = [...this.rows.values()]
      .filter((r) => (!filter.eventId || r.eventId === filter.eventId) && (!filter.recipientId || r.recipientId === filter.recipientId))
      .filter((r) => (!filter.webhookId || r.webhookId === filter.webhookId) && (!filter.channel || r.channel === filter.channel))
      .filter((r) => !filter.status || statusesFor(filter.status).includes(r.status))
      .filter((r) => !beforeId || r.id < beforeId)
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    const items = all.slice(0, limit).map((r) => this.copy(r));
    return { items, nextBeforeId: all.length > limit ? items[items.length - 1].id : null };
  }

  async overdue(graceMs: number, limit: number, among?: readonly string[]): Promise<Array<Pick<Delivery, 'id' | 'channel'>>> {
    const now = this.now().getTime();
    const only = among ? new Set(among) : null;
    return [...this.rows.values()]
      .filter(
        (r) =>
          (!only || only.has(r.id)) &&
          r.nextAttemptAt &&
          (r.status === 'sending'
            ? r.nextAttemptAt.getTime() < now
            : (r.status === 'pending' || r.status === 'failed') && r.nextAttemptAt.getTime() < now - graceMs),
      )
      .slice(0, limit)
      .map((r) => ({ id: r.id, channel: r.channel }));
  }

  all(): Delivery[] {
    return [...this.rows.values()].map((r) => this.copy(r));
  }
}
