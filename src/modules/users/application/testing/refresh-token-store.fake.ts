import { Clock } from '../../../../kernel';
import { RefreshTokenRecord, RefreshTokenStore } from '../ports/refresh-token-store.port';
import { assertInUnitOfWork, FakeUnitOfWork } from '../../../../kernel/testing';

export class InMemoryRefreshTokenStore extends RefreshTokenStore {
  private readonly records = new Map<string, RefreshTokenRecord>();
  private raceLostFor = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly uow?: FakeUnitOfWork,
  ) {
    super();
  }

  all(): RefreshTokenRecord[] {
    return [...this.records.values()].map((r) => ({ ...r }));
  }

  /** Next markRotated of this token behaves as if a concurrent request rotated it just before. */
  loseRotationRaceFor(id: string): void {
    this.raceLostFor.add(id);
  }

  async create(record: RefreshTokenRecord): Promise<void> {
    assertInUnitOfWork(this.uow, 'RefreshTokenStore.create');
    if (this.records.has(record.id)) throw new Error(`duplicate refresh token id ${record.id}`);
    if ([...this.records.values()].some((r) => r.tokenHash === record.tokenHash)) throw new Error('duplicate token hash');
    this.records.set(record.id, { ...record });
    this.uow?.onRollback(() => this.records.delete(record.id));
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const found = [...this.records.values()].find((r) => r.tokenHash === tokenHash);
    return found ? { ...found } : null;
  }

  async markRotated(id: string): Promise<boolean> {
    assertInUnitOfWork(this.uow, 'RefreshTokenStore.markRotated');
    const record = this.records.get(id);
    if (!record) return false;
    if (this.raceLostFor.delete(id)) {
      record.rotatedAt = this.clock.now(); // by the other request, which committed
      return false;
    }
    if (record.rotatedAt || record.revokedAt) return false;
    this.remember(record);
    record.rotatedAt = this.clock.now();
    return true;
  }

  async revokeFamily(familyId: string): Promise<void> {
    assertInUnitOfWork(this.uow, 'RefreshTokenStore.revokeFamily');
    this.revokeWhere((r) => r.familyId === familyId);
  }

  async revoke(id: string): Promise<void> {
    assertInUnitOfWork(this.uow, 'RefreshTokenStore.revoke');
    this.revokeWhere((r) => r.id === id);
  }

  async revokeAllForUser(userId: string, exceptFamilyId?: string): Promise<void> {
    assertInUnitOfWork(this.uow, 'RefreshTokenStore.revokeAllForUser');
    this.revokeWhere((r) => r.userId === userId && r.familyId !== exceptFamilyId);
  }

  private revokeWhere(matches: (r: RefreshTokenRecord) => boolean): void {
    const now = this.clock.now();
    for (const r of this.records.values()) {
      if (!matches(r) || r.revokedAt) continue;
      this.remember(r);
      r.revokedAt = now;
    }
  }

  private remember(record: RefreshTokenRecord): void {
    const before = { ...record };
    this.uow?.onRollback(() => Object.assign(record, before));
  }
}
