import { Injectable } from '@nestjs/common';
import { Clock, FieldError, UnitOfWork, isUuid } from '../../../kernel';
import { EventPublisher } from '../../events';
import type { CurrentUser } from '../../users';
import { TaskCommentNotFoundError, assertExpectedVersion, throwIfInvalid } from '../domain/task.errors';
import { TaskCommentCursor, TaskCommentRepository } from './ports/task-comment.repository.port';
import { TaskRepository } from './ports/task.repository.port';
import { TaskWatcherRepository } from './ports/task-watcher.repository.port';
import { TaskCommentView, toTaskCommentView } from './task-comment.view';
import { TASK_PAGE_LIMIT, loadVisibleTask } from './task-use-case.support';

export interface ListCommentsInput {
  limit?: number;
  after?: TaskCommentCursor | null;
}

export interface TaskCommentViewPage {
  items: TaskCommentView[];
  nextCursor: TaskCommentCursor | null;
}

@Injectable()
export class TaskCommentService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly watchers: TaskWatcherRepository,
    private readonly comments: TaskCommentRepository,
    private readonly uow: UnitOfWork,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /**
   * Anyone who may view the task may comment (closed tasks included); records `task.commented`.
   * The task's version is unchanged. Errors: TASK_NOT_FOUND, VALIDATION_FAILED (body),
   * PRECONDITION_FAILED (expectedVersion ≠ the task's version).
   */
  async add(actor: CurrentUser, taskId: string, body: string, expectedVersion?: number): Promise<TaskCommentView> {
    const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
    const comment = task.comment(actor, body, this.clock.now());
    assertExpectedVersion(expectedVersion, task.version);
    const events = task.pullEvents();
    await this.uow.run(async () => {
      await this.comments.add(comment);
      await this.publisher.publish(events);
    });
    return toTaskCommentView(comment);
  }

  /** One comment (what the `Location` of a new comment names). Errors: TASK_NOT_FOUND, COMMENT_NOT_FOUND. */
  async get(actor: CurrentUser, taskId: string, commentId: string): Promise<TaskCommentView> {
    const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
    const comment = await this.comments.find(task.id, commentId.toLowerCase());
    if (!comment) throw new TaskCommentNotFoundError();
    return toTaskCommentView(comment);
  }

  /** Oldest first. Errors: TASK_NOT_FOUND, VALIDATION_FAILED (limit, cursor). */
  async list(actor: CurrentUser, taskId: string, input: ListCommentsInput = {}): Promise<TaskCommentViewPage> {
    const task = await loadVisibleTask(this.tasks, this.watchers, actor, taskId);
    const errors: FieldError[] = [];
    const limit = input.limit ?? TASK_PAGE_LIMIT.default;
    if (!Number.isInteger(limit) || limit < TASK_PAGE_LIMIT.min || limit > TASK_PAGE_LIMIT.max) {
      errors.push({ field: 'limit', message: `limit must be an integer ${TASK_PAGE_LIMIT.min}..${TASK_PAGE_LIMIT.max}` });
    }
    const after = input.after ?? null;
    if (after !== null && (!isUuid(after.id) || Number.isNaN(after.createdAt.getTime()))) {
      errors.push({ field: 'cursor', message: 'cursor is not valid' });
    }
    throwIfInvalid(errors);
    const page = await this.comments.list(task.id, limit, after);
    return { items: page.items.map(toTaskCommentView), nextCursor: page.nextCursor };
  }
}
