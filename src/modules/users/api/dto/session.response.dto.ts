import { ApiProperty } from '@nestjs/swagger';
import { UserResponseDto } from './user.response.dto';

/** What register, login and refresh return. */
export class SessionResponseDto {
  @ApiProperty({ type: UserResponseDto })
  user!: UserResponseDto;

  @ApiProperty({
    description: 'HS256 JWT to send as `Authorization: Bearer <accessToken>`',
    example:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMTkyZjNhNC01YjZjLTdkOGUtOWYwMS0yMzQ1Njc4OWFiY2QiLCJyb2xlIjoibWVtYmVyIn0.c2lnbmF0dXJl',
  })
  accessToken!: string;

  @ApiProperty({
    description: 'Opaque; exchange it at /auth/refresh for a new pair (it then stops working). Keep it secret.',
    example: 'q8N2m0fJtC7yVYbq3s1kQbW5uH4x9aLz0pR2eT6wUvY',
  })
  refreshToken!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Access token lifetime in seconds', example: 900 })
  expiresIn!: number;
}
