import type { Queue } from 'bullmq';
import { JobSchedulers } from './job-schedulers';

/** An in-memory stand-in for the two Queue methods JobSchedulers uses; `flush()` is a FLUSHALL. */
class FakeQueue {
  readonly schedulers = new Map<string, { every: number; name: string }>();
  upserts = 0;
  closing: Promise<void> | undefined = undefined;
  failNext = false;
  constructor(readonly name: string) {}

  async getJobScheduler(id: string) {
    return this.schedulers.get(id);
  }

  async upsertJobScheduler(id: string, repeat: { every: number }, template: { name: string }) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('connection refused');
    }
    this.upserts += 1;
    this.schedulers.set(id, { every: repeat.every, name: template.name });
  }

  flush(): void {
    this.schedulers.clear();
  }
}

const spec = (queue: FakeQueue, id = 'sweeper') => ({ queue: queue as unknown as Queue, id, everyMs: 5000, job: { name: 'sweep' } });

describe('JobSchedulers', () => {
  afterEach(() => jest.useRealTimers());

  it('creates a registered scheduler at once', async () => {
    const schedulers = new JobSchedulers();
    const queue = new FakeQueue('notifications');
    await schedulers.register(spec(queue));
    expect(queue.schedulers.get('sweeper')).toEqual({ every: 5000, name: 'sweep' });
    await schedulers.onModuleDestroy();
  });

  it('re-creates a scheduler the queue backend lost, on its own timer', async () => {
    jest.useFakeTimers();
    const schedulers = new JobSchedulers({ reassertEveryMs: 1000 });
    const queue = new FakeQueue('notifications');
    await schedulers.register(spec(queue));
    queue.flush();

    await jest.advanceTimersByTimeAsync(1000);
    expect(queue.schedulers.get('sweeper')).toEqual({ every: 5000, name: 'sweep' });
    await schedulers.onModuleDestroy();
  });

  it('does not write while the scheduler exists', async () => {
    const schedulers = new JobSchedulers();
    const queue = new FakeQueue('notifications');
    await schedulers.register(spec(queue));
    await schedulers.reassertAll();
    await schedulers.reassertAll();
    expect(queue.upserts).toBe(1);
    await schedulers.onModuleDestroy();
  });

  it('survives a backend that was down at registration and schedules once it is back', async () => {
    const schedulers = new JobSchedulers();
    const queue = new FakeQueue('platform-maintenance');
    queue.failNext = true;
    await expect(schedulers.register(spec(queue, 'cleanup'))).resolves.toBeUndefined();
    expect(queue.schedulers.size).toBe(0);
    await schedulers.reassertAll();
    expect(queue.schedulers.has('cleanup')).toBe(true);
    await schedulers.onModuleDestroy();
  });

  it('re-asserts every registered scheduler, on every queue', async () => {
    const schedulers = new JobSchedulers();
    const a = new FakeQueue('notifications');
    const b = new FakeQueue('platform-maintenance');
    await schedulers.register(spec(a, 'sweeper'));
    await schedulers.register(spec(b, 'cleanup'));
    a.flush();
    b.flush();
    await schedulers.reassertAll();
    expect([a.schedulers.has('sweeper'), b.schedulers.has('cleanup')]).toEqual([true, true]);
    await schedulers.onModuleDestroy();
  });
});
