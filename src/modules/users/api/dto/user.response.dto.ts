import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role } from '../../domain/role';

/** A user as the API shows it (never a password hash). */
export class UserResponseDto {
  @ApiProperty({ format: 'uuid', example: '0192f3a4-5b6c-7d8e-9f01-23456789abcd' })
  id!: string;

  @ApiProperty({ format: 'email', example: 'ada@example.com', description: 'Stored lower-cased; unique case-insensitively' })
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'member' })
  role!: Role;

  @ApiProperty({ example: true, description: 'Deactivated users cannot sign in' })
  active!: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-01-15T09:30:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-15T09:30:00.000Z' })
  updatedAt!: string;
}
