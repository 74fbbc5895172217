import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '../../../../platform/http/pagination';
import { PUBLIC_DELIVERY_STATUSES, SUPPRESSED_REASONS } from '../../domain/delivery';

export class DeliveryResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac3f1-7000-7d33-8f40-3b4c5d6e7f80' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '019ac3f1-6a00-7b11-8d2e-1f2a3b4c5d6e' }) eventId!: string;
  @ApiProperty({ example: 'task.assigned' }) eventType!: string;
  @ApiProperty({ example: 'email', description: '`email`, `in_app`, `webhook`, or a channel added by another module' }) channel!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The user told (user channels); null for webhooks' })
  recipientId!: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The endpoint (webhook channel); null otherwise',
    example: null,
  })
  webhookId!: string | null;
  @ApiProperty({
    enum: PUBLIC_DELIVERY_STATUSES,
    example: 'sent',
    description:
      '`pending` (waiting or being sent), `sent`, `failed` (a retry is scheduled at nextAttemptAt), `dead` (gave up; see lastError), `suppressed` (not sent on purpose; see suppressedReason)',
  })
  status!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 }) attempts!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'The last failure, e.g. `SMTP 451: try again later` or `HTTP 503`',
  })
  lastError!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null }) nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: '2026-11-29T10:15:01.204Z' }) sentAt!: string | null;
  @ApiProperty({
    enum: SUPPRESSED_REASONS,
    nullable: true,
    type: String,
    example: null,
    description: 'Why the recipient was not told: the actor of the change, a deactivated user, or their preference',
  })
  suppressedReason!: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Email deliveries folded into one digest email (the `emailDigest` preference) share this id; null otherwise',
    example: null,
  })
  digestId!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-29T10:15:00.950Z' }) createdAt!: string;
}

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  eventId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  recipientId?: string;

  @ApiPropertyOptional({ example: 'email', description: '`email`, `in_app`, `webhook`, or an added channel' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{1,39}$/, { message: 'channel must be a channel name such as email, in_app or webhook' })
  channel?: string;

  @ApiPropertyOptional({ enum: PUBLIC_DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(PUBLIC_DELIVERY_STATUSES as unknown as string[])
  status?: string;
}

export class DeliveryIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}
