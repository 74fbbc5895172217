import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../../platform/http';
import { ROLES, Role } from '../../domain/role';

/** GET /users query: filters of the team directory plus `limit` / `cursor`. */
export class ListUsersRequestDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES, enumName: 'Role', example: 'member' })
  @IsOptional()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ type: Boolean, example: true })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({ maxLength: 200, description: 'Case-insensitive substring of the name or email', example: 'ada' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
