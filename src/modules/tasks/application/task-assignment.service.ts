import { Injectable } from '@nestjs/common';
import { Clock, UnitOfWork, isUuid } from '../../../kernel';
import { EventPublisher } from '../../events';
import { type CurrentUser, type DirectoryUser, UserDirectory } from '../../users';
import { assertExpectedVersion } from '../domain/task.errors';
import { TaskRepository } from './ports/task.repository.port';
import { TaskWatcherRepository } from './ports/task-watcher.repository.port';
import { loadVisibleTask, saveAndPublish } from './task-use-case.support';
import { TaskView, toTaskView } from './task.view';

@Injectable()
export class TaskAssignmentService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly watchers: TaskWatcherRepository,
    private readonly directory: UserDirectory,
    private readonly uow: UnitOfWork,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /**
   * POST /tasks/:id/assign. Errors: TASK_NOT_FOUND, TASK_CLOSED, FORBIDDEN (a caller without
   * `tasks:assign:any` assigning someone else, or not on a draft they created), VALIDATION_FAILED
   * (assigneeId not a UUID), ASSIGNEE_NOT_FOUND, ASSIGNEE_INACTIVE, PRECONDITION_FAILED, VERSION_CONFLICT.
   */
  async assign(actor: CurrentUser, taskId: string, assigneeId: string, expectedVersion?: number): Promise<TaskView> {
    const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
    const loadedVersion = task.version;
    let assignee: DirectoryUser | null = null;
    if (isUuid(assigneeId)) assignee = await this.directory.findById(assigneeId.toLowerCase());
    task.assign(actor, assigneeId, assignee, this.clock.now());
    assertExpectedVersion(expectedVersion, loadedVersion);
    await saveAndPublish(this.uow, this.tasks, this.publisher, task, loadedVersion);
    return toTaskView(task, actor);
  }
}
