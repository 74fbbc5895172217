import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { EVENT_TYPES } from '../../../events';
import { MAX_WEBHOOK_EVENTS, MAX_WEBHOOK_URL_LENGTH } from '../../domain/webhook-endpoint';

const EVENTS_DESCRIPTION = `Event types to receive (${EVENT_TYPES.join(', ')}), or \`["*"]\` for all`;

export class CreateWebhookRequestDto {
  @ApiProperty({
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    example: 'https://hooks.example.com/taskwire',
    description:
      'http(s) URL. Hosts resolving to loopback, private, link-local, CGNAT, unique-local, multicast or metadata addresses are refused (400 WEBHOOK_URL_NOT_PUBLIC) unless WEBHOOK_ALLOW_PRIVATE=true',
  })
  @IsString()
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  url!: string;

  @ApiProperty({ type: [String], example: ['task.assigned', 'task.completed'], description: EVENTS_DESCRIPTION })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WEBHOOK_EVENTS)
  @IsString({ each: true })
  events!: string[];

  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String, example: 'CRM sync' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}

export class UpdateWebhookRequestDto {
  @ApiPropertyOptional({ maxLength: MAX_WEBHOOK_URL_LENGTH, example: 'https://hooks.example.com/taskwire-v2' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  url?: string;

  @ApiPropertyOptional({ type: [String], example: ['*'], description: EVENTS_DESCRIPTION })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WEBHOOK_EVENTS)
  @IsString({ each: true })
  events?: string[];

  @ApiPropertyOptional({ maxLength: 500, nullable: true, type: String, example: 'CRM sync (v2)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({
    example: true,
    description: '`true` re-enables a disabled endpoint (and clears its failure record); `false` disables it',
  })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class WebhookResponseDto {
  @ApiProperty({ format: 'uuid', example: '019ac3f1-8000-7e44-9051-4c5d6e7f8091' }) id!: string;
  @ApiProperty({ example: 'https://hooks.example.com/taskwire' }) url!: string;
  @ApiProperty({ type: [String], example: ['task.assigned', 'task.completed'] }) events!: string[];
  @ApiProperty({ nullable: true, type: String, example: 'CRM sync' }) description!: string | null;
  @ApiProperty({
    example: true,
    description: 'false once disabled (by an admin, or automatically after failing continuously for WEBHOOK_DISABLE_AFTER)',
  })
  active!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Why it is disabled, e.g. `failing continuously since 2026-11-26T09:00:00.000Z`',
  })
  disabledReason!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null }) disabledAt!: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: null,
    description: 'Start of the current run of failed attempts',
  })
  failingSince!: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: null,
    description: 'Until then the previous secret signs too (after a rotation)',
  })
  previousSecretExpiresAt!: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-29T09:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-29T09:00:00.000Z' }) updatedAt!: string;
}

export class WebhookWithSecretResponseDto extends WebhookResponseDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks). Shown only in this response: store it now.',
  })
  secret!: string;
}

export class WebhookIdParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class WebhookDeliveryParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  deliveryId!: string;
}
