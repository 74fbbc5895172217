import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `tasks.task_watchers`. */
@Entity({ schema: 'tasks', name: 'task_watchers' })
export class TaskWatcherOrmEntity {
  @PrimaryColumn('uuid', { name: 'task_id' })
  taskId!: string;

  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column('timestamptz')
  since!: Date;

  /** Copy of the task's (immutable) creation time, the watch list's sort key. */
  @Column('timestamptz', { name: 'task_created_at' })
  taskCreatedAt!: Date;
}
