import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import { ROLES, Role } from '../../domain/role';
import { EMAIL_MAX_LENGTH } from '../../domain/user-fields.policy';
import { IsPassword, IsPersonName } from './user-field.validators';

/** POST /users (admin). */
export class CreateUserRequestDto {
  @ApiProperty({ format: 'email', maxLength: EMAIL_MAX_LENGTH, example: 'grace@example.com' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(EMAIL_MAX_LENGTH)
  email!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Grace Hopper' })
  @IsPersonName()
  name!: string;

  @ApiProperty({ format: 'password', minLength: 8, maxLength: 128, example: 'an initial passphrase' })
  @IsPassword()
  password!: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'manager' })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;
}
