import { Parser } from '@asyncapi/parser';
import { ValidateFunction } from 'ajv';
import { closedSchema, schemaValidatorFactory } from '../../src/kernel/testing/closed-schema';
import { EVENT_TYPES } from '../../src/modules/events';
import { apiAs } from '../support/api';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { HttpReceiver, ReceivedRequest, startHttpReceiver } from '../support/http-receiver';
import { SseClient } from '../support/sse-client';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { assignTask, createTask, transition } from '../notifications/notification-helpers';

interface EventEnvelope {
  id: string;
  type: string;
  [member: string]: unknown;
}
interface AsyncApiDocument {
  asyncapi: string;
  info: { version: string };
  channels: Record<string, { messages: Record<string, { $ref: string }> }>;
  components: {
    schemas: Record<string, Record<string, unknown>>;
    messages: Record<string, { name: string; payload: { $ref: string }; headers?: { $ref: string } }>;
  };
}

/** Validators for the served document's message payloads and headers (refs resolved by Ajv). */
function validatorsOf(doc: AsyncApiDocument) {
  // Payload schemas closed (the code must not emit an undocumented member); HTTP headers stay open.
  const ajv = schemaValidatorFactory();
  const { StandardWebhookHeaders, ...payloads } = doc.components.schemas;
  ajv.addSchema({ $id: 'asyncapi', components: { schemas: { ...closedSchema(payloads), StandardWebhookHeaders } } });
  const compiled = new Map<string, ValidateFunction>();
  const compile = (ref: string) => {
    if (!compiled.has(ref)) compiled.set(ref, ajv.compile({ $ref: `asyncapi${ref}` }));
    return compiled.get(ref)!;
  };
  const message = (channel: string, type: string) => {
    const ref = doc.channels[channel].messages[type]?.$ref;
    if (!ref) throw new Error(`the document has no ${channel} message for ${type}`);
    return doc.components.messages[ref.split('/').pop()!];
  };
  const check = (ref: string, value: unknown): string[] => {
    const validate = compile(ref);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${ref}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
  return {
    streamPayload: (event: EventEnvelope) => check(message('eventStream', event.type).payload.$ref, event),
    webhookPayload: (body: { type: string }) => check(message('webhook', body.type).payload.$ref, body),
    webhookHeaders: (type: string, headers: ReceivedRequest['headers']) => check(message('webhook', type).headers!.$ref, headers),
  };
}

/**
 * The AsyncAPI document at /docs/asyncapi.json against the running app: it is public and valid
 * (@asyncapi/parser), and every kind of event the app records — read from GET /events, from the
 * SSE stream and from webhook bodies — validates against the served payload schemas.
 */
describe('AsyncAPI document (/docs/asyncapi.json)', () => {
  let t: TestApp;
  let receiver: HttpReceiver;
  let admin: Session;
  let doc: AsyncApiDocument;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    t = await startTestApp({
      env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_DISABLE_AFTER: '300ms', NOTIFY_RETRY_SCHEDULE: '200ms,200ms,200ms,200ms' },
    });
    admin = await adminSession(t);
    doc = (await t.http.get('/docs/asyncapi.json')).body as AsyncApiDocument;
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('is served without credentials as JSON, and @asyncapi/parser finds no errors in it', async () => {
    const res = await t.http.get('/docs/asyncapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual(doc);
    expect(doc).toMatchObject({ asyncapi: '3.0.0', info: { version: t.running.config.version } });
    const diagnostics = await new Parser().validate(doc as never);
    expect(diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(Object.keys(doc.channels.webhook.messages).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('every event type the app records validates against its schema, in GET /events, on the stream and in webhook bodies', async () => {
    const api = apiAs(t, admin);
    const hook = async (path: string, events: string[]) =>
      (await api.POST('/api/v1/webhooks', { body: { url: `${receiver.url}${path}`, events } })).response;
    expect((await hook('/all', ['*'])).status).toBe(201);
    expect((await hook('/down', ['task.commented'])).status).toBe(201);
    const patchUser = async (id: string, body: { role?: 'manager'; active?: boolean }) =>
      (await api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })).response.status;
    receiver.answer = (req) => ({ status: req.path === '/down' ? 500 : 200 });
    const stream = await SseClient.open(`${t.running.url}/api/v1/events/stream`, { authorization: `Bearer ${admin.accessToken}` });
    expect(stream.status).toBe(200);

    // Users: registered (self and by an admin), role changed, deactivated (which also unassigns), reactivated.
    const registered = await apiAs(t).POST('/api/v1/auth/register', {
      body: { email: 'self-registered@taskwire.test', password: 'user-password-123', name: 'Self' },
    });
    expect(registered.response.status).toBe(201);
    const member = await createUser(t, 'member');
    const leaver = await createUser(t, 'member');
    expect(await patchUser(member.id, { role: 'manager' })).toBe(200);

    // Tasks: every type, with the optional members present somewhere (dueAt, labels, reasons).
    const full = await createTask(t, admin.accessToken, {
      title: 'Full',
      description: 'All',
      priority: 'high',
      dueAt: '2031-01-01T10:00:00.000Z',
      labels: ['a', 'b'],
    });
    const edit = { title: 'Fuller', description: null, priority: 'urgent' as const, dueAt: null, labels: ['c'] };
    expect((await api.PATCH('/api/v1/tasks/{id}', { params: { path: { id: full.id } }, body: edit })).response.status).toBe(200);
    await assignTask(t, admin.accessToken, full.id, member.id);
    await transition(t, member.accessToken, full.id, 'in_progress');
    await transition(t, member.accessToken, full.id, 'assigned', 'blocked on review');
    await transition(t, member.accessToken, full.id, 'in_progress');
    await transition(t, member.accessToken, full.id, 'completed');
    const given = await createTask(t, admin.accessToken, { title: 'Created assigned', assigneeId: member.id });
    await transition(t, member.accessToken, given.id, 'draft', 'not mine');
    await transition(t, admin.accessToken, given.id, 'cancelled', 'obsolete');
    const released = await createTask(t, admin.accessToken, { title: 'Released', assigneeId: leaver.id });
    expect(await patchUser(leaver.id, { active: false })).toBe(200);
    expect(await patchUser(leaver.id, { active: true })).toBe(200);
    // Reminders (system events): due within DUE_SOON_LEAD (24h) → task.due_soon at once; already past → task.overdue at once.
    await createTask(t, admin.accessToken, {
      title: 'Due soon',
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      assigneeId: member.id,
    });
    await createTask(t, admin.accessToken, { title: 'Overdue', dueAt: new Date(Date.now() - 60_000).toISOString(), assigneeId: member.id });
    const talked = await createTask(t, admin.accessToken, { title: 'Talked about' });
    const comment = { body: 'A comment the /down webhook fails to receive' };
    const talkedPath = { params: { path: { id: talked.id } } };
    expect((await api.POST('/api/v1/tasks/{id}/comments', { ...talkedPath, body: comment })).response.status).toBe(201);
    expect((await api.DELETE('/api/v1/tasks/{id}', talkedPath)).response.status).toBe(204);

    // The audit trail has every type — webhook.disabled once /down has failed for WEBHOOK_DISABLE_AFTER.
    const events = await eventually(async () => {
      const page = await api.GET('/api/v1/events', { params: { query: { limit: 100 } } });
      const data = page.data!.data as EventEnvelope[];
      const releasedByTheSystem = data.some((e) => e.type === 'task.unassigned' && e.aggregateId === released.id);
      return releasedByTheSystem && new Set(data.map((e) => e.type)).size === EVENT_TYPES.length ? data : undefined;
    }, 20_000);
    expect([...new Set(events.map((e) => e.type))].sort()).toEqual([...EVENT_TYPES].sort());
    const v = validatorsOf(doc);
    expect(events.flatMap((e) => v.streamPayload(e))).toEqual([]);

    // The stream sends the same envelopes, framed as `id:` event id and `event:` type.
    await stream.waitFor((m) => m.event === 'webhook.disabled', 10_000);
    stream.close();
    const streamed = stream.messages.map((m) => ({ id: m.id, event: m.event, data: JSON.parse(m.data) as EventEnvelope }));
    expect([...new Set(streamed.map((m) => m.event))].sort()).toEqual([...EVENT_TYPES].sort());
    expect(streamed.filter((m) => m.id !== m.data.id || m.event !== m.data.type)).toEqual([]);
    expect(streamed.flatMap((m) => v.streamPayload(m.data))).toEqual([]);

    // Webhook bodies are {type, timestamp, data: envelope}, with the Standard Webhooks headers.
    const bodies = await eventually(() => {
      const got = receiver.requests.filter((r) => r.path === '/all');
      // Every type, not only the last one: the reminders' deliveries may arrive after webhook.disabled.
      return new Set(got.map((r) => (JSON.parse(r.body) as { type: string }).type)).size === EVENT_TYPES.length ? got : undefined;
    }, 15_000);
    expect([...new Set(bodies.map((r) => (JSON.parse(r.body) as { type: string }).type))].sort()).toEqual([...EVENT_TYPES].sort());
    expect(
      bodies.flatMap((r) => {
        const body = JSON.parse(r.body) as { type: string };
        return [...v.webhookPayload(body), ...v.webhookHeaders(body.type, r.headers)];
      }),
    ).toEqual([]);
  });

  it('rejects an event that does not match (the closed schemas catch an undocumented or mistyped member)', () => {
    const v = validatorsOf(doc);
    const event = {
      id: '0190a0a0-0000-7000-8000-000000000001',
      type: 'user.role_changed',
      aggregateType: 'user',
      aggregateId: '0190a0a0-0000-7000-8000-000000000002',
      actorId: null,
      occurredAt: '2030-01-01T00:00:00.000Z',
      correlationId: null,
      causationId: null,
      payload: { from: 'member', to: 'manager' },
    };
    expect(v.streamPayload(event)).toEqual([]);
    expect(v.streamPayload({ ...event, payload: { from: 'member', to: 'boss' } })).not.toEqual([]);
    expect(v.streamPayload({ ...event, payload: { from: 'member', to: 'manager', by: 'x' } })).not.toEqual([]);
    expect(v.streamPayload({ ...event, aggregateType: 'task' })).not.toEqual([]);
  });
});
