import { Injectable } from '@nestjs/common';
import { Clock, UnitOfWork } from '../../../kernel';
import { EventPublisher } from '../../events';
import type { CurrentUser } from '../../users';
import { assertExpectedVersion } from '../domain/task.errors';
import { TaskRepository } from './ports/task.repository.port';
import { TaskWatcherRepository } from './ports/task-watcher.repository.port';
import { loadVisibleTask, saveAndPublish } from './task-use-case.support';
import { TaskView, toTaskView } from './task.view';

/** PATCH /tasks/:id body: absent fields stay, null clears `description` / `dueAt`. */
export interface UpdateTaskInput {
  title?: string;
  description?: string | null;
  priority?: string;
  dueAt?: Date | null;
  labels?: string[];
}

@Injectable()
export class TaskUpdateService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly watchers: TaskWatcherRepository,
    private readonly uow: UnitOfWork,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /**
   * Errors: TASK_NOT_FOUND, FORBIDDEN (not admin/manager/creator), TASK_CLOSED, VALIDATION_FAILED,
   * PRECONDITION_FAILED (expectedVersion ≠ current), VERSION_CONFLICT (lost a concurrent race).
   * A change to nothing returns the task unchanged (no event, same version).
   */
  async update(actor: CurrentUser, taskId: string, input: UpdateTaskInput, expectedVersion?: number): Promise<TaskView> {
    const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
    const loadedVersion = task.version;
    task.update(actor, input, this.clock.now());
    assertExpectedVersion(expectedVersion, loadedVersion);
    await saveAndPublish(this.uow, this.tasks, this.publisher, task, loadedVersion);
    return toTaskView(task, actor);
  }
}
