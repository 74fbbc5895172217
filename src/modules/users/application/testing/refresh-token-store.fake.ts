import { Clock } from '../../../../kernel';
import { RefreshTokenRecord, RefreshTokenStore } from '../ports/refresh-token-store.port';
import { assertInUnitOfWork, FakeUnitOfWork, RollbackParticipant } from './unit-of-work.fake';

export class InMemoryRefreshTokenStore extends RefreshTokenStore implements RollbackParticipant {
  private records = new Map<string, RefreshTokenRecord>();
  private raceLostFor = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly uow?: FakeUnitOfWork,
  ) {
    super();
  }

  snapshot(): () => void {
    const copy = new Map([...this.records].map(([id, r]) => [id, { ...r }]));
    return () => {
      this.records = copy;
    };
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
      record.rotatedAt = this.clock.now();
      return false;
    }
    if (record.rotatedAt || record.revokedAt) return false;
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

  async revokeAllForUser(userId: string): Promise<void> {
    assertInUnitOfWork(this.uow, 'RefreshTokenStore.revokeAllForUser');
    this.revokeWhere((r) => r.userId === userId);
  }

  private revokeWhere(matches: (r: RefreshTokenRecord) => boolean): void {
    const now = this.clock.now();
    for (const r of this.records.values()) if (matches(r) && !r.revokedAt) r.revokedAt = now;
  }
}
