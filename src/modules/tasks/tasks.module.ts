import { DynamicModule, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../platform/config';
import { ContextModuleOptions } from '../../platform/context-module-options';
import { EventVisibilityRegistry } from '../events';
import { TaskCommentsController } from './api/task-comments.controller';
import { TaskWatchersController } from './api/task-watchers.controller';
import { TasksController } from './api/tasks.controller';
import { TaskAudience } from './application/ports/task-audience.port';
import { TaskCommentRepository } from './application/ports/task-comment.repository.port';
import { TaskRepository } from './application/ports/task.repository.port';
import { TaskWatcherRepository } from './application/ports/task-watcher.repository.port';
import { TASK_APPLICATION_SERVICES } from './application/task-application.providers';
import { TaskAuditTrailService } from './application/task-audit-trail.service';
import { TaskReminderSchedule } from './application/ports/task-reminder-schedule.port';
import {
  DEFAULT_REMINDER_BATCH_SIZE,
  DEFAULT_REMINDER_POLL_INTERVAL_MS,
  TaskReminderService,
  TaskReminderSettings,
} from './application/task-reminder.service';
import { TASK_AGGREGATE_TYPE } from './domain/task.domain-event';
import { WatcherTaskAudience } from './infrastructure/task-audience.adapter';
import { TaskCommentOrmEntity } from './infrastructure/task-comment.orm-entity';
import { PostgresTaskCommentRepository } from './infrastructure/postgres-task-comment.repository';
import { TaskOrmEntity } from './infrastructure/task.orm-entity';
import { PostgresTaskRepository } from './infrastructure/postgres-task.repository';
import { PostgresTaskReminderSchedule } from './infrastructure/postgres-task-reminder.schedule';
import { TaskReminderTimer } from './infrastructure/task-reminder.timer';
import { TaskWatcherOrmEntity } from './infrastructure/task-watcher.orm-entity';
import { PostgresTaskWatcherRepository } from './infrastructure/postgres-task-watcher.repository';
import { UserDeactivatedListener } from './infrastructure/user-deactivated.listener';

/**
 * The Tasks context. Controllers only where the HTTP API runs, the `user.deactivated` reaction and
 * the due-date reminder scan only where workers run. Global, so the next contexts (notifications) can inject TaskAudience.
 */
@Module({})
export class TasksModule implements OnModuleInit {
  constructor(
    private readonly visibility: EventVisibilityRegistry,
    private readonly auditTrail: TaskAuditTrailService,
  ) {}

  static register(options: ContextModuleOptions): DynamicModule {
    return {
      module: TasksModule,
      global: true,
      imports: [TypeOrmModule.forFeature([TaskOrmEntity, TaskCommentOrmEntity, TaskWatcherOrmEntity])],
      controllers: options.http ? [TasksController, TaskCommentsController, TaskWatchersController] : [],
      providers: [
        ...TASK_APPLICATION_SERVICES,
        { provide: TaskRepository, useClass: PostgresTaskRepository },
        { provide: TaskCommentRepository, useClass: PostgresTaskCommentRepository },
        { provide: TaskWatcherRepository, useClass: PostgresTaskWatcherRepository },
        { provide: TaskAudience, useClass: WatcherTaskAudience },
        { provide: TaskReminderSchedule, useClass: PostgresTaskReminderSchedule },
        {
          provide: TaskReminderSettings,
          inject: [AppConfig],
          useFactory: (config: AppConfig): TaskReminderSettings => ({
            dueSoonLeadMs: config.dueSoonLeadMs,
            batchSize: DEFAULT_REMINDER_BATCH_SIZE,
            pollIntervalMs: DEFAULT_REMINDER_POLL_INTERVAL_MS,
          }),
        },
        TaskReminderService,
        ...(options.workers ? [UserDeactivatedListener, TaskReminderTimer] : []),
      ],
      exports: [TaskAudience],
    };
  }

  /** The live stream shows a task's events to whoever may see the task. */
  onModuleInit(): void {
    this.visibility.register(TASK_AGGREGATE_TYPE, (taskId) => this.auditTrail.eventAudienceOf(taskId));
  }
}
