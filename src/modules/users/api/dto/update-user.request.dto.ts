import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { ROLES, Role } from '../../domain/role';
import { IsPersonName } from './user-field.validators';

/** PATCH /users/:id (admin). Demoting or deactivating the last active admin is 409 LAST_ADMIN. */
export class UpdateUserRequestDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Grace Brewster Hopper' })
  @IsOptional()
  @IsPersonName()
  name?: string;

  @ApiPropertyOptional({ enum: ROLES, enumName: 'Role', example: 'admin' })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ example: false, description: 'false deactivates (signs the user out everywhere), true reactivates' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
