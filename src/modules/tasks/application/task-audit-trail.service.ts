import { Injectable } from '@nestjs/common';
import { isUuid } from '../../../kernel';
import { type EventListPage, EventQueries } from '../../events';
import type { CurrentUser } from '../../users';
import { TASK_AGGREGATE_TYPE } from '../domain/task.domain-event';
import { TaskNotFoundError } from '../domain/task.errors';
import { TaskPolicy } from '../domain/task-policy';
import { TaskRepository } from './ports/task.repository.port';
import { TaskWatcherRepository } from './ports/task-watcher.repository.port';
import { loadVisibleTask } from './task-use-case.support';

/**
 * A task's audit trail (GET /tasks/:id/events) and who may see a task's events (the Events
 * context's live stream asks `eventAudienceOf`). Events outlive their task: once it is
 * deleted, only callers who may read every task (`tasks:read:any`) still see its trail.
 */
@Injectable()
export class TaskAuditTrailService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly watchers: TaskWatcherRepository,
    private readonly events: EventQueries,
  ) {}

  /**
   * Oldest first, paged by the Events context's cursor. Errors: TASK_NOT_FOUND (unknown, not
   * visible, or deleted for a caller without `tasks:read:any`); VALIDATION_FAILED (cursor).
   */
  async list(actor: CurrentUser, taskId: string, page: { limit?: number; cursor?: string }): Promise<EventListPage> {
    try {
      const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
      return await this.events.listForAggregate(TASK_AGGREGATE_TYPE, task.id, page);
    } catch (error) {
      if (!(error instanceof TaskNotFoundError) || !actor.permissions.has('tasks:read:any') || !isUuid(taskId)) throw error;
      // Not in the table: a deleted task still has its trail; an id that never existed has none.
      const trail = await this.events.listForAggregate(TASK_AGGREGATE_TYPE, taskId.toLowerCase(), page);
      if (trail.data.length === 0 && !page.cursor) throw error;
      return trail;
    }
  }

  /**
   * The audience registered with the Events context for aggregate type `task`: the task and its
   * watchers are read once per event, then every open stream's caller is checked in memory with
   * the same rule as GET /tasks/:id (TaskPolicy.canView).
   */
  async eventAudienceOf(taskId: string): Promise<(caller: CurrentUser) => boolean> {
    const task = isUuid(taskId) ? await this.tasks.findById(taskId) : null;
    if (task === null) return (caller) => caller.permissions.has('tasks:read:any');
    const watching = new Set(await this.watchers.watchersOf(task.id));
    return (caller) => TaskPolicy.canView(task, caller, watching.has(caller.id));
  }
}
