import { Injectable } from '@nestjs/common';
import { FieldError, isUuid } from '../../../kernel';
import type { CurrentUser } from '../../users';
import { throwIfInvalid } from '../domain/task.errors';
import { TASK_LIMITS, charLength, hasNul } from '../domain/task-fields.value-object';
import { TASK_PRIORITIES, isTaskPriority } from '../domain/task-priority.value-object';
import { TASK_STATES, isTaskState } from '../domain/task-state.value-object';
import { DEFAULT_TASK_SORT, TASK_SORTS, TaskCursor, TaskListFilter, TaskRepository, TaskSort } from './ports/task.repository.port';
import { TaskWatcherRepository } from './ports/task-watcher.repository.port';
import { TASK_PAGE_LIMIT, loadVisibleTask } from './task-use-case.support';
import { TaskView, toTaskView } from './task.view';

const Q_MAX = 500;

/** GET /tasks query (already parsed by the API layer; the cursor already decoded). */
export interface ListTasksInput {
  state?: string;
  assigneeId?: string;
  creatorId?: string;
  priority?: string;
  label?: string;
  q?: string;
  dueBefore?: Date;
  sort?: string;
  limit?: number;
  after?: TaskCursor | null;
}

export interface TaskViewPage {
  items: TaskView[];
  nextCursor: TaskCursor | null;
}

@Injectable()
export class TaskQueryService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly watchers: TaskWatcherRepository,
  ) {}

  /** Errors: TASK_NOT_FOUND (unknown or not visible). */
  async get(actor: CurrentUser, taskId: string): Promise<TaskView> {
    return toTaskView(await loadVisibleTask(this.tasks, this.watchers, actor, taskId), actor);
  }

  /** For sub-resources served by other modules (e.g. the task's audit trail). Errors: TASK_NOT_FOUND. */
  async assertVisible(actor: CurrentUser, taskId: string): Promise<void> {
    await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
  }

  /**
   * A page of the tasks the caller may see (everything with `tasks:read:any`, otherwise created /
   * assigned / watched). Errors: VALIDATION_FAILED (bad filter, sort, limit, or a cursor made for
   * another sort — field `cursor`).
   */
  async list(actor: CurrentUser, input: ListTasksInput): Promise<TaskViewPage> {
    const errors: FieldError[] = [];
    const filter: TaskListFilter = {};
    if (input.state !== undefined) {
      if (isTaskState(input.state)) filter.state = input.state;
      else errors.push({ field: 'state', message: `state must be one of ${TASK_STATES.join(', ')}` });
    }
    if (input.priority !== undefined) {
      if (isTaskPriority(input.priority)) filter.priority = input.priority;
      else errors.push({ field: 'priority', message: `priority must be one of ${TASK_PRIORITIES.join(', ')}` });
    }
    for (const field of ['assigneeId', 'creatorId'] as const) {
      const value = input[field];
      if (value === undefined) continue;
      if (isUuid(value)) filter[field] = value.toLowerCase();
      else errors.push({ field, message: `${field} must be a UUID` });
    }
    if (input.label !== undefined) {
      const label = input.label.trim();
      if (charLength(label) >= 1 && charLength(label) <= TASK_LIMITS.labelMax && !hasNul(label)) filter.label = label;
      else errors.push({ field: 'label', message: `label must be 1..${TASK_LIMITS.labelMax} characters` });
    }
    if (input.q !== undefined) {
      const q = input.q.trim();
      if (charLength(q) > Q_MAX || hasNul(q))
        errors.push({ field: 'q', message: `q must be at most ${Q_MAX} characters, without NUL characters` });
      else if (q !== '') filter.q = q;
    }
    if (input.dueBefore !== undefined) {
      if (input.dueBefore instanceof Date && !Number.isNaN(input.dueBefore.getTime())) filter.dueBefore = input.dueBefore;
      else errors.push({ field: 'dueBefore', message: 'dueBefore must be a valid date-time' });
    }
    let sort: TaskSort = DEFAULT_TASK_SORT;
    if (input.sort !== undefined) {
      if ((TASK_SORTS as readonly string[]).includes(input.sort)) sort = input.sort as TaskSort;
      else errors.push({ field: 'sort', message: `sort must be one of ${TASK_SORTS.join(', ')}` });
    }
    const limit = input.limit ?? TASK_PAGE_LIMIT.default;
    if (!Number.isInteger(limit) || limit < TASK_PAGE_LIMIT.min || limit > TASK_PAGE_LIMIT.max) {
      errors.push({ field: 'limit', message: `limit must be an integer ${TASK_PAGE_LIMIT.min}..${TASK_PAGE_LIMIT.max}` });
    }
    const after = input.after ?? null;
    if (after !== null && (after.sort !== sort || !isUuid(after.id))) {
      errors.push({ field: 'cursor', message: 'cursor does not belong to this listing' });
    }
    throwIfInvalid(errors);

    if (!actor.permissions.has('tasks:read:any')) filter.visibleTo = actor.id;
    const page = await this.tasks.list({ filter, sort, limit, after });
    return { items: page.items.map((task) => toTaskView(task, actor)), nextCursor: page.nextCursor };
  }
}
