import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `tasks.task_comments`. */
@Entity({ schema: 'tasks', name: 'task_comments' })
export class TaskCommentOrmEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'task_id' })
  taskId!: string;

  @Column('uuid', { name: 'author_id' })
  authorId!: string;

  @Column('text')
  body!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
