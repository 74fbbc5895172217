import { ApiProperty } from '@nestjs/swagger';

export class EventResponseDto {
  @ApiProperty({ format: 'uuid', example: '019a1f3e-7c2b-7d4e-9a10-3b2f4c5d6e7f' }) id!: string;
  @ApiProperty({ example: 'task.assigned' }) type!: string;
  @ApiProperty({ example: 'task' }) aggregateType!: string;
  @ApiProperty({ format: 'uuid' }) aggregateId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who caused it; null for the system' }) actorId!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'X-Request-Id of the request that caused it (inherited by follow-up events)' })
  correlationId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The event whose handler caused this one' }) causationId!:
    string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { title: 'Write the report', assigneeId: '019a…' } })
  payload!: Record<string, unknown>;
}
