import { Injectable } from '@nestjs/common';
import { Clock, UnitOfWork } from '../../../kernel';
import { EventPublisher } from '../../events';
import type { CurrentUser } from '../../users';
import { assertExpectedVersion } from '../domain/task.errors';
import { TaskRepository } from './ports/task.repository.port';
import { TaskWatcherRepository } from './ports/task-watcher.repository.port';
import { loadVisibleTask } from './task-use-case.support';

@Injectable()
export class TaskDeletionService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly watchers: TaskWatcherRepository,
    private readonly uow: UnitOfWork,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /**
   * Hard-deletes the task; `task.deleted` (like all its earlier events) stays in the audit trail.
   * Errors: TASK_NOT_FOUND, FORBIDDEN (no `tasks:delete`), PRECONDITION_FAILED, VERSION_CONFLICT.
   */
  async delete(actor: CurrentUser, taskId: string, expectedVersion?: number): Promise<void> {
    const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
    const loadedVersion = task.version;
    task.delete(actor, this.clock.now());
    assertExpectedVersion(expectedVersion, loadedVersion);
    const events = task.pullEvents();
    await this.uow.run(async () => {
      await this.tasks.delete(task.id, loadedVersion);
      await this.publisher.publish(events);
    });
  }
}
