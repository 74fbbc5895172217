import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPassword, IsPersonName } from './user-field.validators';

/** PATCH /users/me. A new `password` needs `currentPassword`. */
export class UpdateMeRequestDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Ada King' })
  @IsOptional()
  @IsPersonName()
  name?: string;

  @ApiPropertyOptional({ format: 'password', minLength: 8, maxLength: 128, example: 'a new long passphrase' })
  @IsOptional()
  @IsPassword()
  password?: string;

  @ApiPropertyOptional({ format: 'password', description: 'Required when `password` is given', example: 'correct horse battery staple' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  currentPassword?: string;
}
