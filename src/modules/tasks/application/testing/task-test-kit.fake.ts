import { newId } from '../../../../kernel';
import { FakeClock, FakeUnitOfWork } from '../../../../kernel/testing';
import { RecordingEventPublisher } from '../../../events/application/testing/recording-event-publisher.fake';
import { InMemoryUserDirectory } from '../../../users/application/testing/in-memory-user-directory.fake';
import { type CurrentUser, type Role, permissionsOf } from '../../../users';
import { AssigneeDeactivationReactionService } from '../assignee-deactivation-reaction.service';
import { TaskAssignmentService } from '../task-assignment.service';
import { TaskAuditTrailService } from '../task-audit-trail.service';
import { TaskCommentService } from '../task-comment.service';
import { TaskCreationService } from '../task-creation.service';
import { TaskDeletionService } from '../task-deletion.service';
import { TaskQueryService } from '../task-query.service';
import { DEFAULT_REMINDER_BATCH_SIZE, TaskReminderService, TaskReminderSettings } from '../task-reminder.service';
import { TaskStateTransitionService } from '../task-state-transition.service';
import { TaskUpdateService } from '../task-update.service';
import { TaskWatcherService } from '../task-watcher.service';
import { InMemoryTaskCommentRepository } from './in-memory-task-comment.repository.fake';
import { InMemoryTaskWatcherRepository } from './in-memory-task-watcher.repository.fake';
import { InMemoryTaskRepository } from './in-memory-task.repository.fake';
import { InMemoryTaskReminderSchedule } from './in-memory-task-reminder-schedule.fake';
import { PublishedEventQueries } from './published-event-queries.fake';

/** A caller with the permissions of `role` (not registered in any directory). */
export function actorFor(role: Role, id: string = newId()): CurrentUser {
  return { id, role, permissions: permissionsOf(role) };
}

/** The Tasks use cases wired to in-memory fakes that share one fake transaction. */
export function createTaskTestKit() {
  const uow = new FakeUnitOfWork();
  const watchers = new InMemoryTaskWatcherRepository(uow);
  const comments = new InMemoryTaskCommentRepository(uow);
  const tasks = new InMemoryTaskRepository(uow, watchers, comments);
  const publisher = new RecordingEventPublisher(uow);
  const clock = new FakeClock('2030-01-01T00:00:00.000Z');
  const directory = new InMemoryUserDirectory();
  const eventQueries = new PublishedEventQueries(publisher);
  const schedule = new InMemoryTaskReminderSchedule(tasks, uow);
  /** Mutable, so a test can change DUE_SOON_LEAD between scans. */
  const reminderSettings: TaskReminderSettings = {
    dueSoonLeadMs: 24 * 3_600_000,
    batchSize: DEFAULT_REMINDER_BATCH_SIZE,
    pollIntervalMs: 1000,
  };

  /** A registered user (in the directory) and the matching caller. */
  const user = (role: Role, options: { active?: boolean; name?: string } = {}): CurrentUser => {
    const actor = actorFor(role);
    directory.put({
      id: actor.id,
      email: `${actor.id}@example.test`,
      name: options.name ?? `${role} ${actor.id.slice(-4)}`,
      role,
      active: options.active ?? true,
    });
    return actor;
  };

  return {
    tasks,
    comments,
    watchers,
    publisher,
    uow,
    clock,
    directory,
    user,
    schedule,
    reminderSettings,
    reminders: new TaskReminderService(tasks, schedule, uow, publisher, clock, reminderSettings),
    creation: new TaskCreationService(tasks, directory, uow, publisher, clock),
    query: new TaskQueryService(tasks, watchers),
    update: new TaskUpdateService(tasks, watchers, uow, publisher, clock),
    assignment: new TaskAssignmentService(tasks, watchers, directory, uow, publisher, clock),
    transition: new TaskStateTransitionService(tasks, watchers, uow, publisher, clock),
    deletion: new TaskDeletionService(tasks, watchers, uow, publisher, clock),
    commenting: new TaskCommentService(tasks, watchers, comments, uow, publisher, clock),
    watching: new TaskWatcherService(tasks, watchers, clock),
    auditTrail: new TaskAuditTrailService(tasks, watchers, eventQueries),
    deactivation: new AssigneeDeactivationReactionService(tasks, uow, publisher, clock),
  };
}

export type TaskTestKit = ReturnType<typeof createTaskTestKit>;
