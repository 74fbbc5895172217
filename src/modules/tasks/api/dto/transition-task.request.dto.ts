import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { normalizeReason } from '../../domain/task-fields.value-object';
import { TASK_STATES } from '../../domain/task-state.value-object';
import { SatisfiesTaskRule } from './task-field.validators';

export class TransitionTaskRequestDto {
  @ApiProperty({
    enum: TASK_STATES,
    description:
      'Target state: `in_progress` (start, from assigned), `completed` (from in_progress), `assigned` (pause, from in_progress), ' +
      '`draft` (unassign, from assigned), `cancelled` (from draft, assigned or in_progress). `completed` and `cancelled` are final.',
    example: 'in_progress',
  })
  @IsIn(TASK_STATES)
  state!: string;

  @ApiPropertyOptional({
    maxLength: 500,
    nullable: true,
    type: String,
    description: 'Why (kept as `cancellationReason` when cancelling)',
    example: 'Superseded by the annual report',
  })
  @IsOptional()
  @SatisfiesTaskRule(normalizeReason)
  reason?: string | null;
}
