import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { EMAIL_MAX_LENGTH } from '../../domain/user-fields.policy';

/**
 * POST /auth/login. Deliberately only shape checks: whether the pair is right is answered with
 * the same 401 for every kind of wrong.
 */
export class LoginRequestDto {
  @ApiProperty({ format: 'email', maxLength: EMAIL_MAX_LENGTH, example: 'ada@example.com' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  @ApiProperty({ format: 'password', maxLength: 512, example: 'correct horse battery staple' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512) // 128 characters can be 512 UTF-16 units; longer cannot be a valid password
  password!: string;
}
