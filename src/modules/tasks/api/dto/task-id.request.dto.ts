import { ApiProperty } from '@nestjs/swagger';
import { IsUuidId } from './task-field.validators';

/** `/tasks/:id…` — a malformed id is a 400 VALIDATION_FAILED (field `id`), never a 404 or 500. */
export class TaskIdParamDto {
  @ApiProperty({ format: 'uuid', example: '019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30' })
  @IsUuidId()
  id!: string;
}

/** `/tasks/:id/comments/:commentId`. */
export class TaskCommentParamsDto extends TaskIdParamDto {
  @ApiProperty({ format: 'uuid', example: '019ad0c5-0a0b-7c3a-8f2d-4b6e9a1c7d30' })
  @IsUuidId()
  commentId!: string;
}
