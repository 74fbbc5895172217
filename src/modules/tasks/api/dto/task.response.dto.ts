import { ApiProperty } from '@nestjs/swagger';
import { TASK_PRIORITIES } from '../../domain/task-priority.value-object';
import { TASK_STATES } from '../../domain/task-state.value-object';

const ID = '019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30';
const USER = '019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30';

/** The Task of docs/api.md. Every single-task response also carries `ETag: W/"<version>"`. */
export class TaskResponseDto {
  @ApiProperty({ format: 'uuid', example: ID }) id!: string;
  @ApiProperty({ example: 'Prepare the Q3 report' }) title!: string;
  @ApiProperty({ nullable: true, type: String, example: 'Numbers from finance, charts for the board.' }) description!: string | null;
  @ApiProperty({ enum: TASK_PRIORITIES, example: 'high' }) priority!: string;
  @ApiProperty({ enum: TASK_STATES, example: 'assigned' }) state!: string;
  @ApiProperty({ format: 'uuid', example: USER }) creatorId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: USER }) assigneeId!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2025-12-01T17:00:00.000Z' }) dueAt!: string | null;
  @ApiProperty({ type: [String], example: ['finance', 'q3'] }) labels!: string[];
  @ApiProperty({ type: 'integer', minimum: 1, example: 2, description: 'Grows by one with every change; the ETag is derived from it' })
  version!: number;
  @ApiProperty({ format: 'date-time', example: '2025-11-20T09:30:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2025-11-20T09:31:12.000Z' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null }) completedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null }) cancelledAt!: string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) cancellationReason!: string | null;
  @ApiProperty({
    enum: TASK_STATES,
    isArray: true,
    description: 'The `/transition` targets the caller may choose now',
    example: ['in_progress', 'draft', 'cancelled'],
  })
  allowedTransitions!: string[];
}

export class TaskCommentResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ad0c5-0a0b-7c3a-8f2d-4b6e9a1c7d30' }) id!: string;
  @ApiProperty({ format: 'uuid', example: ID }) taskId!: string;
  @ApiProperty({ format: 'uuid', example: USER }) authorId!: string;
  @ApiProperty({ example: 'Finance sent the numbers, charts next.' }) body!: string;
  @ApiProperty({ format: 'date-time', example: '2025-11-20T10:02:00.000Z' }) createdAt!: string;
}

export class TaskWatcherResponseDto {
  @ApiProperty({ format: 'uuid', example: USER }) userId!: string;
  @ApiProperty({ format: 'date-time', description: 'When they started watching', example: '2025-11-20T10:05:00.000Z' }) since!: string;
}

export class TaskWatcherListResponseDto {
  @ApiProperty({ type: [TaskWatcherResponseDto], description: 'Every watcher, oldest first' }) data!: TaskWatcherResponseDto[];
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Always null: the whole list fits one page' }) nextCursor!:
    string | null;
}

/** An event of the task's audit trail (docs/api.md "Events and audit"). */
export class TaskEventResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ad0c4-5e20-7000-8000-000000000001' }) id!: string;
  @ApiProperty({ example: 'task.assigned' }) type!: string;
  @ApiProperty({ example: 'task' }) aggregateType!: string;
  @ApiProperty({ format: 'uuid', example: ID }) aggregateId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who caused it; null for the system', example: USER })
  actorId!: string | null;
  @ApiProperty({ format: 'date-time', example: '2025-11-20T09:30:00.000Z' }) occurredAt!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'X-Request-Id of the causing request',
    example: '019ad0c4-5e1f-7000-8000-00000000abcd',
  })
  correlationId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The event whose handler caused this one', example: null })
  causationId!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      title: 'Prepare the Q3 report',
      creatorId: USER,
      assigneeId: USER,
      state: 'assigned',
      version: 2,
      previousAssigneeId: null,
      previousState: 'draft',
    },
  })
  payload!: Record<string, unknown>;
}
