import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** POST /auth/refresh and POST /auth/logout. */
export class RefreshTokenRequestDto {
  @ApiProperty({ description: 'The refresh token of the session', maxLength: 256, example: 'q8N2m0fJtC7yVYbq3s1kQbW5uH4x9aLz0pR2eT6wUvY' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  refreshToken!: string;
}
