import { Injectable } from '@nestjs/common';
import { Clock, UnitOfWork, isUuid } from '../../../kernel';
import { EventPublisher } from '../../events';
import { type CurrentUser, type DirectoryUser, UserDirectory } from '../../users';
import { Task } from '../domain/task.aggregate';
import { TaskRepository } from './ports/task.repository.port';
import { saveAndPublish } from './task-use-case.support';
import { TaskView, toTaskView } from './task.view';

/** POST /tasks body. */
export interface CreateTaskInput {
  title: string;
  description?: string | null;
  priority?: string;
  dueAt?: Date | null;
  labels?: string[];
  assigneeId?: string | null;
}

@Injectable()
export class TaskCreationService {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly directory: UserDirectory,
    private readonly uow: UnitOfWork,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates a draft, or an `assigned` task when `assigneeId` is given (records `task.created`, then
   * `task.assigned`). Errors: FORBIDDEN (no `tasks:create`; a caller without `tasks:assign:any`
   * naming someone else), VALIDATION_FAILED, ASSIGNEE_NOT_FOUND, ASSIGNEE_INACTIVE.
   */
  async create(actor: CurrentUser, input: CreateTaskInput): Promise<TaskView> {
    let assignee: DirectoryUser | null = null;
    if (isUuid(input.assigneeId)) assignee = await this.directory.findById(input.assigneeId.toLowerCase());
    const task = Task.create({
      actor,
      now: this.clock.now(),
      title: input.title,
      description: input.description,
      priority: input.priority,
      dueAt: input.dueAt,
      labels: input.labels,
      assigneeId: input.assigneeId,
      assignee,
    });
    await saveAndPublish(this.uow, this.tasks, this.publisher, task, null);
    return toTaskView(task, actor);
  }
}
