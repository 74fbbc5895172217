import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RequestValidationError } from './error-to-problem';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=`; extend it in list query DTOs. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({
    description:
      "Opaque cursor from a previous page's `nextCursor`; valid only with the same filters (other query parameters than `limit`), else 400",
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * Cursors are opaque to clients: base64url of a small JSON array of the keyset values.
 * CursorBindingInterceptor adds (and checks) the filters they belong to, for every listing.
 */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor and lets the caller check its shape; anything malformed is a 400 naming the
 * `cursor` field, never a 500.
 */
export function decodeCursor<T>(cursor: string, parse: (values: unknown[]) => T | null): T {
  let values: unknown;
  try {
    values = /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  } catch {
    values = null;
  }
  const parsed = Array.isArray(values) ? parse(values) : null;
  if (parsed === null) throw new RequestValidationError([{ field: 'cursor', message: 'is not a valid cursor' }]);
  return parsed;
}

export function pageLimit(limit: number | undefined): number {
  return limit ?? DEFAULT_PAGE_SIZE;
}
