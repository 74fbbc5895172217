import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context (`traceparent`, `tracestate`) of the request or job that appended an event,
 * so the job that handles it continues the same trace. NULL when tracing is off. Adding a nullable
 * column without a default is a catalogue-only change: instant on a table of any size.
 */
export class EventTraceContext1764380250000 implements MigrationInterface {
  name = 'EventTraceContext1764380250000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events.events ADD COLUMN IF NOT EXISTS trace_context jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events.events DROP COLUMN IF EXISTS trace_context`);
  }
}
