import { Job } from 'bullmq';
import { QueueProbe } from '../../src/platform/queue';
import { TestApp, eventually, startTestApp } from '../support/test-app';

describe('health and the queue platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('is live and ready with database, queue backend and migrations up', async () => {
    expect((await t.http.get('/health/live')).status).toBe(200);
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.database.status).toBe('up');
    expect(ready.body.details.migrations.status).toBe('up');
    expect(ready.body.details.queue).toMatchObject({ status: 'up', backend: process.env.REDIS_URL ? 'redis' : 'postgres' });
    expect(ready.body.details.workers.alive).toBeGreaterThanOrEqual(1);
  });

  it('round-trips a job through the real queue backend to a worker', async () => {
    const queue = t.running.app.get(QueueProbe).selfCheckQueue();
    const job = await queue.add('echo', { echo: { hello: 'queue' } });
    const done = await eventually(async () => {
      if ((await queue.getJobState(job.id!)) !== 'completed') return undefined;
      return Job.fromId(queue, job.id!); // read after completion, so the return value is there
    }, 20_000);
    expect(done.returnvalue.echoed).toEqual({ hello: 'queue' });
    expect(done.returnvalue.processedBy).toBe(process.pid);
  });
});
