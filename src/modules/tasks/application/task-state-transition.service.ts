import { Injectable } from '@nestjs/common';
import { Clock, UnitOfWork } from '../../../kernel';
import { EventPublisher } from '../../events';
import type { CurrentUser } from '../../users';
import { assertExpectedVersion } from '../domain/task.errors';
import { TaskRepository } from './ports/task.repository.port';
import { TaskWatcherRepository } from './ports/task-watcher.repository.port';
import { loadVisibleTask, saveAndPublish } from './task-use-case.support';
import { TaskView, toTaskView } from './task.view';

/** POST /tasks/:id/transition body. */
export interface TransitionTaskInput {
  state: string;
  reason?: string | null;
}

@Injectable()
export class TaskStateTransitionService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly watchers: TaskWatcherRepository,
    private readonly uow: UnitOfWork,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /**
   * Errors: TASK_NOT_FOUND, VALIDATION_FAILED (unknown state, reason > 500), INVALID_TRANSITION
   * (with `allowedTransitions`), FORBIDDEN_TRANSITION, PRECONDITION_FAILED, VERSION_CONFLICT.
   */
  async transition(actor: CurrentUser, taskId: string, input: TransitionTaskInput, expectedVersion?: number): Promise<TaskView> {
    const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
    const loadedVersion = task.version;
    task.transition(actor, input.state, this.clock.now(), input.reason);
    assertExpectedVersion(expectedVersion, loadedVersion);
    await saveAndPublish(this.uow, this.tasks, this.publisher, task, loadedVersion);
    return toTaskView(task, actor);
  }
}
