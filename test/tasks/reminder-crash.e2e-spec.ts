import { ProcessCluster, startProcessCluster } from '../support/process-cluster';
import { randomBytes } from 'node:crypto';
import { TaskwireClient, createTaskwireClient } from '../../clients/typescript/src';
import { TEST_JWT_SECRET, eventually } from '../support/test-app';

interface EventEnvelope {
  id: string;
  type: string;
  aggregateId: string;
  actorId: string | null;
  payload: { dueAt?: string };
}

/**
 * Reminders with real processes: the only worker is SIGKILLed before a reminder's moment and
 * restarted after it — the reminder fires once, after the restart (nothing in memory or in the
 * queue backend had to remember it); and two workers scanning one schedule record each reminder once.
 */
describe('reminders survive a killed worker and never fire twice with two workers', () => {
  let cluster: ProcessCluster;
  const env = {
    JWT_SECRET: TEST_JWT_SECRET,
    QUEUE_PREFIX: `tw-remind-${randomBytes(4).toString('hex')}`,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    EMAIL_TRANSPORT: 'log',
    ADMIN_EMAIL: 'reminder-admin@taskwire.test',
    ADMIN_PASSWORD: 'reminder-admin-password',
    RATE_LIMIT: '100000/1m',
    AUTH_RATE_LIMIT: '100000/1m',
    DUE_SOON_LEAD: '20s',
  };
  beforeAll(async () => {
    cluster = await startProcessCluster('reminders', env);
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
  });
  const start = (role: 'api' | 'worker') => cluster.start(role);

  // the API is a child process, not a TestApp: the typed client directly on its URL
  let asAdmin: TaskwireClient;
  let asMember: TaskwireClient;
  let memberId: string;
  const reminders = async (taskIds: readonly string[]): Promise<EventEnvelope[]> => {
    const all: EventEnvelope[] = [];
    for (const type of ['task.due_soon', 'task.overdue'] as const) {
      const { data } = await asAdmin.GET('/api/v1/events', { params: { query: { type, limit: 100 } } });
      all.push(...(data!.data as EventEnvelope[]).filter((e) => taskIds.includes(e.aggregateId)));
    }
    return all;
  };
  const createDue = async (title: string, dueInMs: number): Promise<string> => {
    const res = await asAdmin.POST('/api/v1/tasks', {
      body: { title, dueAt: new Date(Date.now() + dueInMs).toISOString(), assigneeId: memberId },
    });
    expect(res.response.status).toBe(201);
    return res.data!.id;
  };
  const inboxTitles = async (): Promise<string[]> =>
    (await asMember.GET('/api/v1/notifications', { params: { query: { limit: 100 } } })).data!.data.map((n) => n.title);

  it('a reminder whose moment passed while the only worker was down fires once when it comes back', async () => {
    const api = await start('api');
    const baseUrl = `http://127.0.0.1:${api.port}`;
    const signIn = async (email: string, password: string) =>
      (await createTaskwireClient(baseUrl).POST('/api/v1/auth/login', { body: { email, password } })).data!.accessToken;
    let worker = await start('worker');
    asAdmin = createTaskwireClient(baseUrl, { token: await signIn(env.ADMIN_EMAIL, env.ADMIN_PASSWORD) });
    const member = await asAdmin.POST('/api/v1/users', {
      body: { email: 'reminded@taskwire.test', name: 'Remi', password: 'user-password-123', role: 'member' },
    });
    memberId = member.data!.id;
    asMember = createTaskwireClient(baseUrl, { token: await signIn('reminded@taskwire.test', 'user-password-123') });

    const taskId = await createDue('Across the crash', 25_000); // due_soon 5 s from now (lead 20 s)
    worker.child.kill('SIGKILL');
    expect((await worker.exited).signal).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, 7000)); // the moment passes with no worker alive
    expect(await reminders([taskId])).toEqual([]);

    worker = await start('worker');
    const fired = await eventually(
      async () => {
        const got = await reminders([taskId]);
        return got.length ? got : undefined;
      },
      30_000,
      250,
    );
    expect(fired).toMatchObject([{ type: 'task.due_soon', actorId: null }]);
    await eventually(async () => (await inboxTitles()).includes('Due soon: Across the crash'), 20_000, 250);
    await new Promise((r) => setTimeout(r, 2500)); // more scans, more restarts' worth of time: still once
    expect((await reminders([taskId])).map((e) => e.type)).toEqual(['task.due_soon']);
    expect((await inboxTitles()).filter((t) => t === 'Due soon: Across the crash')).toHaveLength(1);
  }, 180_000);

  it('two workers scanning the same schedule record every reminder exactly once', async () => {
    await start('worker'); // the second one, beside the restarted worker
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await createDue(`Twice? ${i}`, i % 2 ? -1000 : 21_000)); // overdue at once / due_soon in ~1 s
    const fired = await eventually(
      async () => {
        const got = await reminders(ids);
        return got.length >= 20 ? got : undefined;
      },
      30_000,
      250,
    );
    await new Promise((r) => setTimeout(r, 2500));
    const again = await reminders(ids);
    expect(again).toHaveLength(20);
    expect(new Set(again.map((e) => `${e.type}:${e.aggregateId}`)).size).toBe(20);
    expect(
      fired
        .filter((e) => e.type === 'task.overdue')
        .map((e) => e.aggregateId)
        .sort(),
    ).toEqual(ids.filter((_, i) => i % 2).sort());
    const titles = await eventually(
      async () => {
        const got = (await inboxTitles()).filter((t) => /^(Due soon|Overdue): Twice\?/.test(t));
        return got.length >= 20 ? got : undefined;
      },
      20_000,
      250,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect((await inboxTitles()).filter((t) => /^(Due soon|Overdue): Twice\?/.test(t))).toHaveLength(20);
    expect(new Set(titles).size).toBe(20);
  }, 120_000);
});
