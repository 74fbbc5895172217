import { ApiProperty } from '@nestjs/swagger';
import { IsUuidId } from './task-field.validators';

export class AssignTaskRequestDto {
  @ApiProperty({
    format: 'uuid',
    description: 'An active user; members may only assign themselves, on a draft they created',
    example: '019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30',
  })
  @IsUuidId()
  assigneeId!: string;
}
