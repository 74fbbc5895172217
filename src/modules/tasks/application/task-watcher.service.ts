import { Injectable } from '@nestjs/common';
import { Clock } from '../../../kernel';
import type { CurrentUser } from '../../users';
import { assertExpectedVersion } from '../domain/task.errors';
import { TaskRepository } from './ports/task.repository.port';
import { TaskWatcherRepository } from './ports/task-watcher.repository.port';
import { loadVisibleTask } from './task-use-case.support';
import { TaskWatcherView, toTaskWatcherView } from './task-watcher.view';

/**
 * PUT / DELETE /tasks/:id/watchers/me and GET /tasks/:id/watchers. Watching records no event and
 * does not change the task's version. Each write is one statement, so it needs no UnitOfWork.
 */
@Injectable()
export class TaskWatcherService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly watchers: TaskWatcherRepository,
    private readonly clock: Clock,
  ) {}

  /** Idempotent. Errors: TASK_NOT_FOUND, PRECONDITION_FAILED. */
  async watch(actor: CurrentUser, taskId: string, expectedVersion?: number): Promise<void> {
    const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
    assertExpectedVersion(expectedVersion, task.version);
    await this.watchers.add(task.id, actor.id, this.clock.now());
  }

  /** Idempotent. A member who only saw the task by watching it no longer sees it afterwards. Errors: TASK_NOT_FOUND, PRECONDITION_FAILED. */
  async unwatch(actor: CurrentUser, taskId: string, expectedVersion?: number): Promise<void> {
    const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
    assertExpectedVersion(expectedVersion, task.version);
    await this.watchers.remove(task.id, actor.id);
  }

  /** Errors: TASK_NOT_FOUND. */
  async list(actor: CurrentUser, taskId: string): Promise<TaskWatcherView[]> {
    const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
    return (await this.watchers.list(task.id)).map(toTaskWatcherView);
  }
}
