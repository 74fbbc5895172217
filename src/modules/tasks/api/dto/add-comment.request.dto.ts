import { ApiProperty } from '@nestjs/swagger';
import { normalizeCommentBody } from '../../domain/task-fields.value-object';
import { SatisfiesTaskRule } from './task-field.validators';

export class AddCommentRequestDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 10_000,
    description: '1..10,000 characters, not blank; kept verbatim',
    example: 'Finance sent the numbers, charts next.',
  })
  @SatisfiesTaskRule(normalizeCommentBody)
  body!: string;
}
