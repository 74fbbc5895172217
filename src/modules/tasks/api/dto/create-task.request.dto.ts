import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateIf } from 'class-validator';
import { normalizeDescription, normalizeLabels, normalizeTitle } from '../../domain/task-fields.value-object';
import { TASK_PRIORITIES } from '../../domain/task-priority.value-object';
import { IsDateTime, IsUuidId, SatisfiesTaskRule } from './task-field.validators';

/**
 * POST /tasks. Every field is checked here (lengths and limits with the domain's own rules:
 * title trimmed 1..200, description ≤ 10,000, ≤ 20 labels of 1..50), so one 400 lists them all.
 */
export class CreateTaskRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'Trimmed; 1..200 characters', example: 'Prepare the Q3 report' })
  @SatisfiesTaskRule(normalizeTitle)
  title!: string;

  @ApiPropertyOptional({ maxLength: 10_000, nullable: true, type: String, example: 'Numbers from finance, charts for the board.' })
  @IsOptional()
  @SatisfiesTaskRule(normalizeDescription)
  description?: string | null;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES, default: 'normal', example: 'high' })
  @ValidateIf((_o, value) => value !== undefined)
  @IsIn(TASK_PRIORITIES)
  priority?: string;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, example: '2025-12-01T17:00:00Z' })
  @IsOptional()
  @IsDateTime()
  dueAt?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Creates the task `assigned` to this user. Members may only name themselves.',
    example: '019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30',
  })
  @IsOptional()
  @IsUuidId()
  assigneeId?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    description: 'At most 20 labels of 1..50 characters; trimmed and de-duplicated',
    example: ['finance', 'q3'],
  })
  @ValidateIf((_o, value) => value !== undefined)
  @SatisfiesTaskRule(normalizeLabels)
  labels?: string[];
}
