import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';
import { EMAIL_MAX_LENGTH } from '../../domain/user-fields.policy';
import { IsPassword, IsPersonName } from './user-field.validators';

/** POST /auth/register. There is no `role`: self-registered users are always members. */
export class RegisterRequestDto {
  @ApiProperty({ format: 'email', maxLength: EMAIL_MAX_LENGTH, example: 'ada@example.com' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  @ApiProperty({ format: 'password', minLength: 8, maxLength: 128, example: 'correct horse battery staple' })
  @IsPassword()
  password!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Ada Lovelace' })
  @IsPersonName()
  name!: string;
}
