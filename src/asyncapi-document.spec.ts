import { Parser } from '@asyncapi/parser';
import { buildAsyncApiDocument, publishedEventCatalogue } from './asyncapi-document';
import { EVENT_TYPES } from './modules/events';
import { TASK_EVENT_TYPES, TASK_PUBLISHED_EVENTS } from './modules/tasks';
import { USER_EVENT_TYPES, USER_PUBLISHED_EVENTS } from './modules/users';

const SEVERITY = ['error', 'warning', 'info', 'hint'];

describe('the AsyncAPI document of what taskwire pushes', () => {
  const doc = buildAsyncApiDocument('1.2.3') as unknown as {
    channels: Record<string, { messages: Record<string, unknown> }>;
    components: { messages: Record<string, unknown>; schemas: Record<string, unknown> };
    operations: Record<string, { messages: unknown[] }>;
  };

  it('is a valid AsyncAPI 3.0 document for @asyncapi/parser: no errors, no warnings', async () => {
    const diagnostics = await new Parser().validate(JSON.parse(JSON.stringify(doc)));
    const findings = diagnostics
      .filter((d) => d.severity <= 1)
      .map((d) => `${SEVERITY[d.severity]} ${d.code} at ${d.path.join('.')}: ${d.message}`);
    expect(findings).toEqual([]);
    // The validator is live: a message that breaks the 3.0 schema is reported as an error.
    const broken = JSON.parse(JSON.stringify(doc));
    broken.components.messages['webhook.task.created'].headers = 'webhook-id';
    expect((await new Parser().validate(broken)).filter((d) => d.severity === 0).length).toBeGreaterThan(0);
  });

  it('parses into one message per event type on each channel, and both operations send them', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.parse(JSON.stringify(doc)));
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    const channel = (id: string) => document!.channels().get(id)!;
    expect(
      channel('eventStream')
        .messages()
        .all()
        .map((m) => m.name())
        .sort(),
    ).toEqual([...EVENT_TYPES].sort());
    expect(
      channel('webhook')
        .messages()
        .all()
        .map((m) => m.name())
        .sort(),
    ).toEqual([...EVENT_TYPES].sort());
    expect(
      document!
        .operations()
        .all()
        .map((o) => [o.id(), o.action(), o.messages().all().length]),
    ).toEqual([
      ['streamEvents', 'send', EVENT_TYPES.length],
      ['deliverWebhook', 'send', EVENT_TYPES.length],
    ]);
    const webhook = channel('webhook').messages().get('task.assigned')!;
    expect(Object.keys(webhook.headers()!.properties()!)).toEqual(
      expect.arrayContaining(['webhook-id', 'webhook-timestamp', 'webhook-signature']),
    );
    expect(document!.operations().get('deliverWebhook')!.bindings().get('http')!.value()).toMatchObject({ method: 'POST' });
    expect(document!.operations().get('streamEvents')!.security()[0].all()[0].scheme()!.scheme()).toBe('bearer');
  });

  it('has exactly the code’s event types as messages (EVENT_TYPES), each with its own payload schema', () => {
    const expected = [...EVENT_TYPES].sort();
    expect(Object.keys(doc.channels.eventStream.messages).sort()).toEqual(expected);
    expect(Object.keys(doc.channels.webhook.messages).sort()).toEqual(expected);
    for (const type of EVENT_TYPES) expect(doc.components.schemas[`payload.${type}`]).toEqual(expect.objectContaining({ type: 'object' }));
  });

  it('describes every task and user event type those contexts record', () => {
    expect(Object.keys(TASK_PUBLISHED_EVENTS).sort()).toEqual([...TASK_EVENT_TYPES].sort());
    expect(Object.keys(USER_PUBLISHED_EVENTS).sort()).toEqual(Object.values(USER_EVENT_TYPES).sort());
  });

  it('refuses a type without a payload schema, and a schema of no known type', () => {
    expect(() => publishedEventCatalogue([...EVENT_TYPES, 'task.exploded'])).toThrow('no payload schema for task.exploded');
    expect(() => publishedEventCatalogue(EVENT_TYPES.filter((t) => t !== 'user.reactivated'))).toThrow(
      'schemas for unknown types user.reactivated',
    );
  });
});
