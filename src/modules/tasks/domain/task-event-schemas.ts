import { JsonSchema, PublishedEvent, payloadSchema } from '../../../kernel';
import { TASK_LIMITS } from './task-fields.value-object';
import { TASK_PRIORITIES } from './task-priority.value-object';
import { TASK_STATES } from './task-state.value-object';
import { TASK_AGGREGATE_TYPE, TaskEventContext, TaskEventPayloads, TaskEventType, TaskSnapshot } from './task.domain-event';

/*
 * The task events' payloads as JSON Schema, for the AsyncAPI document (/docs/asyncapi.json) and the
 * tests that validate real events against it. `payloadSchema<T>()` ties each schema's members to
 * the TypeScript payload type the aggregate records (task.domain-event.ts).
 */

const uuid: JsonSchema = { type: 'string', format: 'uuid' };
const nullableUuid: JsonSchema = { type: ['string', 'null'], format: 'uuid' };
const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
const nullableDateTime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };
const state: JsonSchema = { type: 'string', enum: [...TASK_STATES] };
const priority: JsonSchema = { type: 'string', enum: [...TASK_PRIORITIES] };
const title: JsonSchema = { type: 'string', minLength: 1, maxLength: TASK_LIMITS.titleMax };
const description: JsonSchema = { type: ['string', 'null'], maxLength: TASK_LIMITS.descriptionMax };
const labels: JsonSchema = {
  type: 'array',
  maxItems: TASK_LIMITS.labelsMax,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, maxLength: TASK_LIMITS.labelMax },
};
const version: JsonSchema = { type: 'integer', minimum: 1, description: 'The task version after the change (its ETag)' };
const previousState: JsonSchema = { ...state, description: 'The state before the change' };
const change = (of: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: { from: of, to: of },
  required: ['from', 'to'],
});

const snapshot = payloadSchema<TaskSnapshot>()({
  type: 'object',
  description: 'The whole task after the change',
  properties: {
    id: uuid,
    title,
    description,
    priority,
    state,
    creatorId: uuid,
    assigneeId: nullableUuid,
    dueAt: nullableDateTime,
    labels,
    version,
    createdAt: dateTime,
    updatedAt: dateTime,
    completedAt: nullableDateTime,
    cancelledAt: nullableDateTime,
    cancellationReason: { type: ['string', 'null'], maxLength: TASK_LIMITS.reasonMax },
  },
  required: [
    'id',
    'title',
    'description',
    'priority',
    'state',
    'creatorId',
    'assigneeId',
    'dueAt',
    'labels',
    'version',
    'createdAt',
    'updatedAt',
    'completedAt',
    'cancelledAt',
    'cancellationReason',
  ],
});

/** What every task event but `task.created` carries about the task after the change. */
const context = {
  title,
  creatorId: uuid,
  assigneeId: { ...nullableUuid, description: 'The assignee after the change' },
  state: { ...state, description: 'The state after the change' },
  version,
} satisfies Record<keyof TaskEventContext, JsonSchema>;
const contextRequired = ['title', 'creatorId', 'assigneeId', 'state', 'version'] as const;

const transitioned = payloadSchema<TaskEventPayloads['task.started']>()({
  type: 'object',
  properties: {
    ...context,
    previousState,
    reason: { type: 'string', maxLength: TASK_LIMITS.reasonMax, description: 'Present when the caller gave one' },
  },
  required: [...contextRequired, 'previousState'],
});

/** task.due_soon / task.overdue: recorded by the system (actorId null) when the clock reaches them. */
function reminder(dueAtDescription: string): JsonSchema {
  return payloadSchema<TaskEventPayloads['task.due_soon']>()({
    type: 'object',
    properties: { ...context, dueAt: { ...dateTime, description: dueAtDescription } },
    required: [...contextRequired, 'dueAt'],
  });
}

const schemas: { readonly [K in TaskEventType]: JsonSchema } = {
  'task.created': snapshot,
  'task.updated': payloadSchema<TaskEventPayloads['task.updated']>()({
    type: 'object',
    properties: {
      ...context,
      changes: {
        type: 'object',
        description: 'Only the fields that changed, each with its value before and after',
        minProperties: 1,
        properties: {
          title: change(title),
          description: change(description),
          priority: change(priority),
          dueAt: change(nullableDateTime),
          labels: change(labels),
        },
      },
    },
    required: [...contextRequired, 'changes'],
  }),
  'task.assigned': payloadSchema<TaskEventPayloads['task.assigned']>()({
    type: 'object',
    properties: { ...context, assigneeId: { ...uuid, description: 'The new assignee' }, previousAssigneeId: nullableUuid, previousState },
    required: [...contextRequired, 'previousAssigneeId', 'previousState'],
  }),
  'task.unassigned': payloadSchema<TaskEventPayloads['task.unassigned']>()({
    type: 'object',
    properties: {
      ...context,
      previousAssigneeId: uuid,
      previousState,
      reason: {
        type: 'string',
        description: '`assignee_deactivated` when the system released the task of a deactivated user, else the caller’s reason',
      },
    },
    required: [...contextRequired, 'previousAssigneeId', 'previousState'],
  }),
  'task.started': transitioned,
  'task.paused': transitioned,
  'task.completed': payloadSchema<TaskEventPayloads['task.completed']>()({
    type: 'object',
    properties: { ...transitioned.properties, completedAt: dateTime },
    required: [...contextRequired, 'previousState', 'completedAt'],
  }),
  'task.cancelled': payloadSchema<TaskEventPayloads['task.cancelled']>()({
    type: 'object',
    properties: {
      ...context,
      previousState,
      reason: { type: ['string', 'null'], maxLength: TASK_LIMITS.reasonMax },
      cancelledAt: dateTime,
    },
    required: [...contextRequired, 'previousState', 'reason', 'cancelledAt'],
  }),
  'task.deleted': payloadSchema<TaskEventPayloads['task.deleted']>()({
    type: 'object',
    description: 'The task as it was when deleted (it is gone from /tasks; its events stay)',
    properties: context,
    required: contextRequired,
  }),
  'task.commented': payloadSchema<TaskEventPayloads['task.commented']>()({
    type: 'object',
    properties: {
      ...context,
      commentId: uuid,
      authorId: uuid,
      excerpt: { type: 'string', maxLength: 200, description: 'The start of the comment body' },
    },
    required: [...contextRequired, 'commentId', 'authorId', 'excerpt'],
  }),
  'task.due_soon': reminder('The due time it is about; the event comes DUE_SOON_LEAD (default 24h) before it'),
  'task.overdue': reminder('The due time that has passed'),
};

const summaries: { readonly [K in TaskEventType]: string } = {
  'task.created': 'A task was created (POST /tasks)',
  'task.updated': 'Fields of a task were edited (PATCH /tasks/:id)',
  'task.assigned': 'A task was assigned or reassigned (also recorded right after task.created when created with an assignee)',
  'task.unassigned': 'A task went back to an unassigned draft (by its assignee, or by the system when the assignee was deactivated)',
  'task.started': 'Work on a task started (assigned → in_progress)',
  'task.paused': 'Work on a task paused (in_progress → assigned)',
  'task.completed': 'A task was completed',
  'task.cancelled': 'A task was cancelled',
  'task.deleted': 'A task was deleted',
  'task.commented': 'Someone commented on a task',
  'task.due_soon': 'An open task is due within DUE_SOON_LEAD (a system event: actorId null; key task:<id>:due_soon:<dueAt>)',
  'task.overdue': 'An open task passed its due time (a system event: actorId null; key task:<id>:overdue:<dueAt>)',
};

/** Every task event type, described for the outside world (the AsyncAPI document). */
export const TASK_PUBLISHED_EVENTS: { readonly [K in TaskEventType]: PublishedEvent } = Object.fromEntries(
  (Object.keys(schemas) as TaskEventType[]).map((type) => [
    type,
    { aggregateType: TASK_AGGREGATE_TYPE, summary: summaries[type], payload: schemas[type] },
  ]),
) as { [K in TaskEventType]: PublishedEvent };
