import { AggregateRoot, FieldError, newId } from '../../../kernel';
import type { CurrentUser, DirectoryUser } from '../../users';
import { AssignmentRules } from './assignment-rules';
import { TaskComment, commentExcerpt } from './task-comment.entity';
import {
  TASK_AGGREGATE_TYPE,
  TaskAssignedPayload,
  TaskCancelledPayload,
  TaskChangeSet,
  TaskCommentedPayload,
  TaskCompletedPayload,
  TaskCreatedPayload,
  TaskDeletedPayload,
  TaskEventContext,
  TaskEventPayloads,
  TaskEventType,
  TaskReminderPayload,
  TaskSnapshot,
  TaskTransitionedPayload,
  TaskUnassignedPayload,
  TaskUpdatedPayload,
} from './task.domain-event';
import { TaskClosedError, TaskForbiddenError, TaskNotFoundError, throwIfInvalid } from './task.errors';
import {
  normalizeCommentBody,
  normalizeDescription,
  normalizeDueAt,
  normalizeLabels,
  normalizePriority,
  normalizeReason,
  normalizeTitle,
  normalizeUserId,
  sameLabels,
} from './task-fields.value-object';
import { TaskPolicy } from './task-policy';
import { REMINDER_EVENT_TYPE, ReminderKind, reminderIdempotencyKey } from './task-reminder';
import { DEFAULT_TASK_PRIORITY, TaskPriority } from './task-priority.value-object';
import { TASK_STATES, TaskState, isFinalState, isTaskState } from './task-state.value-object';
import { TaskStateMachine } from './task-state-machine';

/** Everything a task is, as stored. */
export interface TaskProps {
  id: string;
  title: string;
  description: string | null;
  priority: TaskPriority;
  state: TaskState;
  creatorId: string;
  assigneeId: string | null;
  dueAt: Date | null;
  labels: string[];
  /** Starts at 1 and grows by exactly one with every change (the ETag and the optimistic lock). */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  cancelledAt: Date | null;
  cancellationReason: string | null;
}

export interface CreateTaskParams {
  actor: CurrentUser;
  now: Date;
  /** Defaults to a fresh UUID v7. */
  id?: string;
  title: unknown;
  description?: unknown;
  priority?: unknown;
  dueAt?: unknown;
  labels?: unknown;
  /** When given, the task starts `assigned` to this user. */
  assigneeId?: unknown;
  /** The directory entry of `assigneeId`, looked up by the caller (null: no such user). */
  assignee?: DirectoryUser | null;
}

/** An edit of a task's fields — an absent (undefined) field is left alone; null clears nullable ones. */
export interface TaskChanges {
  title?: unknown;
  description?: unknown;
  priority?: unknown;
  dueAt?: unknown;
  labels?: unknown;
}

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

/**
 * The Task aggregate: owns its invariants (field limits, state machine, assignment rules, edit and
 * delete policy) and records one domain event per change. `version` grows by one per change;
 * no-op commands change nothing and record nothing.
 */
export class Task extends AggregateRoot {
  private deletedAtValue: Date | null = null;
  private remindersChangedValue = false;

  private constructor(private props: TaskProps) {
    super();
  }

  // ---------------------------------------------------------------- creation

  static create(params: CreateTaskParams): Task {
    const { actor, now } = params;
    if (!TaskPolicy.canCreate(actor)) throw new TaskForbiddenError('You are not allowed to create tasks');
    const errors: FieldError[] = [];
    const title = normalizeTitle(params.title, errors);
    const description = params.description === undefined ? null : normalizeDescription(params.description, errors);
    const priority = params.priority === undefined ? DEFAULT_TASK_PRIORITY : normalizePriority(params.priority, errors);
    const dueAt = params.dueAt === undefined ? null : normalizeDueAt(params.dueAt, errors);
    const labels = params.labels === undefined ? [] : normalizeLabels(params.labels, errors);
    const assigneeId =
      params.assigneeId === undefined || params.assigneeId === null ? null : normalizeUserId('assigneeId', params.assigneeId, errors);
    throwIfInvalid(errors);
    if (assigneeId) AssignmentRules.assertCanAssignOnCreate(actor, assigneeId, params.assignee ?? null);

    const task = new Task({
      id: params.id ?? newId(),
      title: title!,
      description: description ?? null,
      priority: priority!,
      state: assigneeId ? 'assigned' : 'draft',
      creatorId: actor.id,
      assigneeId: assigneeId ?? null,
      dueAt: dueAt ?? null,
      labels: labels!,
      version: 1,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
      cancelledAt: null,
      cancellationReason: null,
    });
    task.remindersChangedValue = task.props.dueAt !== null;
    const created: TaskCreatedPayload = task.toSnapshot();
    task.record({
      type: 'task.created',
      aggregateType: TASK_AGGREGATE_TYPE,
      aggregateId: task.id,
      actorId: actor.id,
      payload: created,
      idempotencyKey: `task:${task.id}:created`,
      occurredAt: now,
    });
    if (assigneeId) {
      // Created straight into `assigned` (version 1): the assignment is its own fact for notifications.
      const assigned: TaskAssignedPayload = {
        ...task.context(),
        assigneeId,
        previousAssigneeId: null,
        previousState: 'draft',
      };
      task.recordChange('task.assigned', actor.id, assigned, now);
    }
    return task;
  }

  /** Rebuilds a stored task; records nothing. */
  static restore(props: TaskProps): Task {
    return new Task({ ...props, labels: [...props.labels] });
  }

  // ---------------------------------------------------------------- reading

  get id(): string {
    return this.props.id;
  }
  get title(): string {
    return this.props.title;
  }
  get description(): string | null {
    return this.props.description;
  }
  get priority(): TaskPriority {
    return this.props.priority;
  }
  get state(): TaskState {
    return this.props.state;
  }
  get creatorId(): string {
    return this.props.creatorId;
  }
  get assigneeId(): string | null {
    return this.props.assigneeId;
  }
  get dueAt(): Date | null {
    return this.props.dueAt;
  }
  get labels(): readonly string[] {
    return this.props.labels;
  }
  get version(): number {
    return this.props.version;
  }
  get createdAt(): Date {
    return this.props.createdAt;
  }
  get updatedAt(): Date {
    return this.props.updatedAt;
  }
  get completedAt(): Date | null {
    return this.props.completedAt;
  }
  get cancelledAt(): Date | null {
    return this.props.cancelledAt;
  }
  get cancellationReason(): string | null {
    return this.props.cancellationReason;
  }
  /** Set by `delete`; the repository then removes the row (a hard delete). */
  get deletedAt(): Date | null {
    return this.deletedAtValue;
  }
  get isFinal(): boolean {
    return isFinalState(this.props.state);
  }
  /**
   * Whether this change touched what the reminder schedule depends on (the due date, or the task
   * leaving the open states): the repository rewrites the task's reminders only then, so the many
   * writes that change neither cost the schedule nothing.
   */
  get remindersChanged(): boolean {
    return this.remindersChangedValue;
  }

  /** A copy of the stored state, for repositories. */
  toProps(): TaskProps {
    return { ...this.props, labels: [...this.props.labels] };
  }

  toSnapshot(): TaskSnapshot {
    const p = this.props;
    return {
      id: p.id,
      title: p.title,
      description: p.description,
      priority: p.priority,
      state: p.state,
      creatorId: p.creatorId,
      assigneeId: p.assigneeId,
      dueAt: iso(p.dueAt),
      labels: [...p.labels],
      version: p.version,
      createdAt: p.createdAt.toISOString(),
      updatedAt: p.updatedAt.toISOString(),
      completedAt: iso(p.completedAt),
      cancelledAt: iso(p.cancelledAt),
      cancellationReason: p.cancellationReason,
    };
  }

  /** The `/transition` targets `actor` may choose now. */
  allowedTransitionsFor(actor: CurrentUser): TaskState[] {
    return TaskStateMachine.allowedTransitions(this.props, actor);
  }

  // ---------------------------------------------------------------- commands

  /**
   * Edits fields: forbidden unless the actor may edit; TASK_CLOSED on a final task; a validation
   * error on invalid fields.
   * Returns false (and records nothing) when no field actually changes.
   */
  update(actor: CurrentUser, changes: TaskChanges, now: Date): boolean {
    this.assertNotDeleted();
    if (!TaskPolicy.canEdit(this.props, actor)) throw new TaskForbiddenError('You are not allowed to edit this task');
    if (this.isFinal) throw new TaskClosedError(this.props.state);

    const errors: FieldError[] = [];
    const title = changes.title === undefined ? undefined : normalizeTitle(changes.title, errors);
    const description = changes.description === undefined ? undefined : normalizeDescription(changes.description, errors);
    const priority = changes.priority === undefined ? undefined : normalizePriority(changes.priority, errors);
    const dueAt = changes.dueAt === undefined ? undefined : normalizeDueAt(changes.dueAt, errors);
    const labels = changes.labels === undefined ? undefined : normalizeLabels(changes.labels, errors);
    throwIfInvalid(errors);

    const p = this.props;
    const diff: TaskChangeSet = {};
    if (title !== undefined && title !== p.title) diff.title = { from: p.title, to: title };
    if (description !== undefined && description !== p.description) {
      diff.description = { from: p.description, to: description };
    }
    if (priority !== undefined && priority !== p.priority) diff.priority = { from: p.priority, to: priority };
    if (dueAt !== undefined && iso(dueAt) !== iso(p.dueAt)) diff.dueAt = { from: iso(p.dueAt), to: iso(dueAt) };
    if (labels !== undefined && !sameLabels(labels, p.labels)) diff.labels = { from: [...p.labels], to: [...labels] };
    if (Object.keys(diff).length === 0) return false;

    if (title !== undefined) p.title = title;
    if (description !== undefined) p.description = description;
    if (priority !== undefined) p.priority = priority;
    if (dueAt !== undefined) p.dueAt = dueAt;
    if (diff.dueAt) this.remindersChangedValue = true;
    if (labels !== undefined) p.labels = labels;
    this.bump(now);
    const payload: TaskUpdatedPayload = { ...this.context(), changes: diff };
    this.recordChange('task.updated', actor.id, payload, now);
    return true;
  }

  /**
   * Assigns: from draft, assigned (reassign) or in_progress (back to assigned). Assigning the
   * current assignee of an `assigned` task changes nothing and returns false.
   */
  assign(actor: CurrentUser, assigneeId: unknown, assignee: DirectoryUser | null, now: Date): boolean {
    this.assertNotDeleted();
    const errors: FieldError[] = [];
    const id = normalizeUserId('assigneeId', assigneeId, errors);
    throwIfInvalid(errors);
    AssignmentRules.assertCanAssign(this.props, actor, id!, assignee);

    const p = this.props;
    if (p.state === 'assigned' && p.assigneeId === id) return false;
    const previousAssigneeId = p.assigneeId;
    const previousState = p.state;
    p.assigneeId = id!;
    p.state = 'assigned';
    this.bump(now);
    const payload: TaskAssignedPayload = { ...this.context(), assigneeId: id!, previousAssigneeId, previousState };
    this.recordChange('task.assigned', actor.id, payload, now);
    return true;
  }

  /** Moves the task to state `to` (with an optional reason), enforced by TaskStateMachine. */
  transition(actor: CurrentUser, to: unknown, now: Date, reason?: unknown): void {
    this.assertNotDeleted();
    const errors: FieldError[] = [];
    if (!isTaskState(to)) errors.push({ field: 'state', message: `state must be one of ${TASK_STATES.join(', ')}` });
    const why = normalizeReason(reason, errors);
    throwIfInvalid(errors);
    const rule = TaskStateMachine.assertCanTransition(this.props, actor, to);

    const p = this.props;
    const previousState = p.state;
    const previousAssigneeId = p.assigneeId;
    p.state = rule.to;
    if (rule.to === 'draft') p.assigneeId = null;
    if (isFinalState(rule.to) && p.dueAt !== null) this.remindersChangedValue = true;
    if (rule.to === 'completed') p.completedAt = now;
    if (rule.to === 'cancelled') {
      p.cancelledAt = now;
      p.cancellationReason = why ?? null;
    }
    this.bump(now);

    const base: TaskTransitionedPayload = { ...this.context(), previousState, ...(why ? { reason: why } : {}) };
    switch (rule.event) {
      case 'task.unassigned': {
        const payload: TaskUnassignedPayload = { ...base, previousAssigneeId: previousAssigneeId! };
        this.recordChange(rule.event, actor.id, payload, now);
        return;
      }
      case 'task.completed': {
        const payload: TaskCompletedPayload = { ...base, completedAt: now.toISOString() };
        this.recordChange(rule.event, actor.id, payload, now);
        return;
      }
      case 'task.cancelled': {
        const payload: TaskCancelledPayload = {
          ...this.context(),
          previousState,
          reason: why ?? null,
          cancelledAt: now.toISOString(),
        };
        this.recordChange(rule.event, actor.id, payload, now);
        return;
      }
      default:
        this.recordChange(rule.event, actor.id, base, now);
    }
  }

  /**
   * The system reaction to `user.deactivated`: an assigned / in-progress task of that user goes back
   * to an unassigned draft (actor: the system). Returns false when there is nothing to do, which
   * makes the reaction idempotent.
   */
  releaseFromDeactivatedAssignee(userId: string, now: Date): boolean {
    this.assertNotDeleted();
    const p = this.props;
    if (p.assigneeId !== userId || (p.state !== 'assigned' && p.state !== 'in_progress')) return false;
    const previousState = p.state;
    p.assigneeId = null;
    p.state = 'draft';
    this.bump(now);
    const payload: TaskUnassignedPayload = {
      ...this.context(),
      previousAssigneeId: userId,
      previousState,
      reason: 'assignee_deactivated',
    };
    this.recordChange('task.unassigned', null, payload, now);
    return true;
  }

  /** Deletes: forbidden without `tasks:delete`. The repository hard-deletes; `task.deleted` stays in the audit trail. */
  delete(actor: CurrentUser, now: Date): void {
    this.assertNotDeleted();
    if (!TaskPolicy.canDelete(this.props, actor)) throw new TaskForbiddenError('You are not allowed to delete tasks');
    this.deletedAtValue = now;
    this.bump(now);
    const payload: TaskDeletedPayload = this.context();
    this.recordChange('task.deleted', actor.id, payload, now);
  }

  /**
   * A new comment by `actor` (who the use case has checked may view the task). Comments do not
   * change the task, so its version stays; the `task.commented` event is keyed by the comment id.
   */
  comment(actor: CurrentUser, body: unknown, now: Date, commentId: string = newId()): TaskComment {
    this.assertNotDeleted();
    const errors: FieldError[] = [];
    const text = normalizeCommentBody(body, errors);
    throwIfInvalid(errors);
    const comment: TaskComment = { id: commentId, taskId: this.id, authorId: actor.id, body: text!, createdAt: now };
    const payload: TaskCommentedPayload = {
      ...this.context(),
      commentId,
      authorId: actor.id,
      excerpt: commentExcerpt(text!),
    };
    this.record({
      type: 'task.commented',
      aggregateType: TASK_AGGREGATE_TYPE,
      aggregateId: this.id,
      actorId: actor.id,
      payload,
      idempotencyKey: `task:${this.id}:comment:${commentId}`,
      occurredAt: now,
    });
    return comment;
  }

  /**
   * The clock reached a reminder scheduled for `dueAt`: records `task.due_soon` or `task.overdue`
   * (actor: the system; the task itself does not change, so neither does its version). Nothing is
   * recorded — and false returned — when the reminder no longer applies: the task is closed or its
   * due date moved (the schedule has the new one). A late scan still records it: a reminder whose
   * moment passed while no worker ran is owed, not dropped (a due date set in the past never gets a
   * `due_soon` scheduled in the first place: remindersFor).
   */
  remind(kind: ReminderKind, dueAt: Date, now: Date): boolean {
    this.assertNotDeleted();
    const p = this.props;
    if (this.isFinal || p.dueAt === null || p.dueAt.getTime() !== dueAt.getTime()) return false;
    const payload: TaskReminderPayload = { ...this.context(), dueAt: dueAt.toISOString() };
    this.record({
      type: REMINDER_EVENT_TYPE[kind],
      aggregateType: TASK_AGGREGATE_TYPE,
      aggregateId: this.id,
      actorId: null,
      payload,
      idempotencyKey: reminderIdempotencyKey(this.id, kind, dueAt),
      occurredAt: now,
    });
    return true;
  }

  // ---------------------------------------------------------------- internals

  private assertNotDeleted(): void {
    if (this.deletedAtValue !== null) throw new TaskNotFoundError();
  }

  private bump(now: Date): void {
    this.props.version += 1;
    this.props.updatedAt = now;
  }

  private context(): TaskEventContext {
    const p = this.props;
    return { title: p.title, creatorId: p.creatorId, assigneeId: p.assigneeId, state: p.state, version: p.version };
  }

  /** Records a change event keyed `task:<id>:v<version after the change>:<verb>`. */
  private recordChange<K extends TaskEventType>(type: K, actorId: string | null, payload: TaskEventPayloads[K], now: Date): void {
    const verb = type.slice('task.'.length);
    this.record({
      type,
      aggregateType: TASK_AGGREGATE_TYPE,
      aggregateId: this.id,
      actorId,
      payload,
      idempotencyKey: `task:${this.id}:v${this.props.version}:${verb}`,
      occurredAt: now,
    });
  }
}
