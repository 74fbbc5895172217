import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { PageQueryDto } from '../../../../platform/http/pagination';
import { DEFAULT_TASK_SORT, TASK_SORTS } from '../../application/ports/task.repository.port';
import { TASK_PRIORITIES } from '../../domain/task-priority.value-object';
import { TASK_STATES } from '../../domain/task-state.value-object';
import { IsDateTime, IsUuidId } from './task-field.validators';

/** GET /tasks query. Every filter given must hold; unknown parameters are a 400. */
export class ListTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TASK_STATES, example: 'in_progress' })
  @IsOptional()
  @IsIn(TASK_STATES)
  state?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidId()
  assigneeId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuidId()
  creatorId?: string;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES, example: 'urgent' })
  @IsOptional()
  @IsIn(TASK_PRIORITIES)
  priority?: string;

  @ApiPropertyOptional({ description: 'Tasks carrying exactly this label', maxLength: 50, example: 'finance' })
  @IsOptional()
  @IsString()
  label?: string;

  @ApiPropertyOptional({
    description: 'Full-text search over title and description (web-search syntax: words, "quoted phrases", -excluded, or)',
    maxLength: 500,
    example: 'quarterly report',
  })
  @IsOptional()
  @IsString()
  q?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only tasks due strictly before this time (tasks without a due date never match)',
    example: '2025-12-31T00:00:00Z',
  })
  @IsOptional()
  @IsDateTime()
  dueBefore?: string;

  @ApiPropertyOptional({
    enum: TASK_SORTS,
    default: DEFAULT_TASK_SORT,
    description:
      '`-` = descending. Ties break on id. Tasks without a due date sort after every date (`dueAt`) or before (`-dueAt`). priority: low < normal < high < urgent.',
  })
  @IsOptional()
  @IsIn(TASK_SORTS)
  sort?: string;
}
