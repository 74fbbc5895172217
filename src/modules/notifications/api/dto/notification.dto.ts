import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../../platform/http/pagination';

export class NotificationResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac3f1-6b2e-7a10-9c3d-5e4f6a7b8c9d' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The event it is about', example: '019ac3f1-6a00-7b11-8d2e-1f2a3b4c5d6e' }) eventId!: string;
  @ApiProperty({ example: 'task.assigned' }) type!: string;
  @ApiProperty({ example: 'Assigned to you: Write the quarterly report' }) title!: string;
  @ApiProperty({ example: 'Ada Admin assigned you “Write the quarterly report”.' }) body!: string;
  @ApiProperty({ nullable: true, type: String, example: 'https://taskwire.example.com/tasks/019ac3f1-5f00-7c22-9e3f-2a3b4c5d6e7f' }) link!:
    string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: '019ac3f1-5f00-7c22-9e3f-2a3b4c5d6e7f' }) taskId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who caused it; null for the system' }) actorId!: string | null;
  @ApiProperty({ example: false }) read!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null }) readAt!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-29T10:15:00.000Z' }) createdAt!: string;
}

export class UnreadCountResponseDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) count!: number;
}

export class ListNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: '`true`: only unread notifications', example: 'true' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: string;
}

export class NotificationIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
