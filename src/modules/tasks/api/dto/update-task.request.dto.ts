import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateIf } from 'class-validator';
import { normalizeDescription, normalizeLabels, normalizeTitle } from '../../domain/task-fields.value-object';
import { TASK_PRIORITIES } from '../../domain/task-priority.value-object';
import { IsDateTime, SatisfiesTaskRule } from './task-field.validators';

/**
 * PATCH /tasks/:id: absent fields stay as they are; `null` clears `description` / `dueAt`. `state`
 * is not a field here (it changes through /transition and /assign), so sending it is a 400.
 */
export class UpdateTaskRequestDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Prepare the Q3 report (final)' })
  @ValidateIf((_o, value) => value !== undefined)
  @SatisfiesTaskRule(normalizeTitle)
  title?: string;

  @ApiPropertyOptional({ maxLength: 10_000, nullable: true, type: String, description: '`null` or blank clears it', example: null })
  @IsOptional()
  @SatisfiesTaskRule(normalizeDescription)
  description?: string | null;

  @ApiPropertyOptional({ enum: TASK_PRIORITIES, example: 'urgent' })
  @ValidateIf((_o, value) => value !== undefined)
  @IsIn(TASK_PRIORITIES)
  priority?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    nullable: true,
    type: String,
    description: '`null` clears it',
    example: '2025-12-05T12:00:00Z',
  })
  @IsOptional()
  @IsDateTime()
  dueAt?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'Replaces the labels', example: ['finance'] })
  @ValidateIf((_o, value) => value !== undefined)
  @SatisfiesTaskRule(normalizeLabels)
  labels?: string[];
}
