import { newId } from '../../../../kernel';
import { EmailDigests, LockedDigest } from '../ports/email-digests.port';
import { InMemoryDeliveryLedger } from './in-memory-delivery.ledger.fake';

/** Digest settings and windows in memory, over the in-memory ledger's rows (same rules as PostgreSQL). */
export class InMemoryEmailDigests extends EmailDigests {
  readonly settings = new Map<string, string>();
  readonly windows = new Map<string, { id: string; userId: string; closesAt: Date; sentAt: Date | null }>();

  constructor(private readonly ledger: InMemoryDeliveryLedger) {
    super();
  }

  async settingsOf(userIds: readonly string[]): Promise<Map<string, string>> {
    return new Map(userIds.filter((id) => this.settings.has(id)).map((id) => [id, this.settings.get(id)!]));
  }

  async saveSetting(userId: string, emailDigest: string): Promise<void> {
    this.settings.set(userId, emailDigest);
  }

  async hold(deliveryId: string, leaseToken: string, userId: string, windowMs: number) {
    const now = this.ledger.now();
    const row = this.ledger.rows.get(deliveryId);
    if (!row || row.status !== 'sending' || row.leaseToken !== leaseToken) return null;
    let window = [...this.windows.values()].find((w) => w.userId === userId && !w.sentAt && w.closesAt > now);
    if (!window) {
      window = { id: newId(), userId, closesAt: new Date(now.getTime() + windowMs), sentAt: null };
      this.windows.set(window.id, window);
    }
    Object.assign(row, {
      status: 'pending',
      attempts: row.attempts - 1,
      leaseToken: null,
      digestId: window.id,
      nextAttemptAt: window.closesAt,
    });
    return { digestId: window.id, closesAt: window.closesAt };
  }

  async lock(digestId: string): Promise<LockedDigest> {
    const window = this.windows.get(digestId);
    if (!window || window.sentAt) return { kind: 'sent' };
    if (window.closesAt.getTime() > this.ledger.now().getTime() + 2000) return { kind: 'open', closesAt: window.closesAt };
    const deliveries = this.held(digestId).map((r) => ({ id: r.id, event: this.ledger.events.get(r.eventId)! }));
    return { kind: 'due', userId: window.userId, deliveries };
  }

  async markSent(digestId: string, deliveryIds: readonly string[]): Promise<number> {
    const rows = this.held(digestId).filter((r) => deliveryIds.includes(r.id));
    for (const row of rows) Object.assign(row, { status: 'sent', sentAt: this.ledger.now(), nextAttemptAt: null, leaseToken: null });
    this.windows.get(digestId)!.sentAt = this.ledger.now();
    return rows.length;
  }

  private held(digestId: string) {
    return [...this.ledger.rows.values()]
      .filter((r) => r.digestId === digestId && ['pending', 'sending', 'failed'].includes(r.status))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }
}
