import { AssigneeDeactivationReactionService } from './assignee-deactivation-reaction.service';
import { TaskAssignmentService } from './task-assignment.service';
import { TaskAuditTrailService } from './task-audit-trail.service';
import { TaskCommentService } from './task-comment.service';
import { TaskCreationService } from './task-creation.service';
import { TaskDeletionService } from './task-deletion.service';
import { TaskQueryService } from './task-query.service';
import { TaskStateTransitionService } from './task-state-transition.service';
import { TaskUpdateService } from './task-update.service';
import { TaskWatcherService } from './task-watcher.service';

/**
 * The Tasks use cases, for `TasksModule.providers`. They need these bound as well: TaskRepository,
 * TaskCommentRepository, TaskWatcherRepository (infrastructure), UserDirectory (Users),
 * EventPublisher and EventQueries (Events), UnitOfWork and Clock (platform).
 */
export const TASK_APPLICATION_SERVICES = [
  TaskCreationService,
  TaskQueryService,
  TaskUpdateService,
  TaskAssignmentService,
  TaskStateTransitionService,
  TaskDeletionService,
  TaskCommentService,
  TaskWatcherService,
  TaskAuditTrailService,
  AssigneeDeactivationReactionService,
] as const;
