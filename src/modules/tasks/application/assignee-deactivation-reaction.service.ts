import { Injectable } from '@nestjs/common';
import { Clock, UnitOfWork } from '../../../kernel';
import { EventPublisher } from '../../events';
import { VersionConflictError } from '../domain/task.errors';
import { TaskRepository } from './ports/task.repository.port';
import { saveAndPublish } from './task-use-case.support';

const MAX_ATTEMPTS = 3;

/**
 * Reaction to `user.deactivated`: every task the user is working on (assigned / in_progress) goes
 * back to an unassigned draft, recording `task.unassigned` (reason `assignee_deactivated`, actor:
 * the system). Idempotent: a second run finds nothing left to release. Each task is its own unit
 * of work, so one busy task does not hold back the others; a task changed concurrently is reloaded
 * and retried.
 */
@Injectable()
export class AssigneeDeactivationReactionService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly uow: UnitOfWork,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /** Returns how many tasks were released. Errors: VERSION_CONFLICT after repeated lost races (the job retries). */
  async releaseTasksOf(userId: string): Promise<number> {
    let released = 0;
    for (const task of await this.tasks.findActiveByAssignee(userId)) {
      if (await this.releaseOne(task.id, userId)) released++;
    }
    return released;
  }

  private async releaseOne(taskId: string, userId: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const task = await this.tasks.findById(taskId);
      if (task === null) return false;
      const loadedVersion = task.version;
      if (!task.releaseFromDeactivatedAssignee(userId, this.clock.now())) return false;
      try {
        await saveAndPublish(this.uow, this.tasks, this.publisher, task, loadedVersion);
        return true;
      } catch (error) {
        if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
