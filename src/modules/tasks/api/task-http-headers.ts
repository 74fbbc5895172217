import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { TaskResponseDto } from './dto/task.response.dto';

/**
 * ETag / If-Match / If-None-Match for tasks. The entity tag is the task's version, weak
 * (`W/"3"`) because the body also says what the *caller* may do (`allowedTransitions`). Tags are
 * compared on their version, with or without the `W/` prefix.
 */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** The opaque parts of an entity-tag list (`"1", W/"2"`), `'*'`, or null when the header is malformed. */
export function parseEntityTags(header: string): '*' | string[] | null {
  const value = header.trim();
  if (value === '*') return '*';
  const tags: string[] = [];
  const re = /\s*(?:W\/)?"([^"]*)"\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while (re.lastIndex < value.length && (match = re.exec(value)) !== null) tags.push(match[1]);
  return re.lastIndex === value.length && tags.length > 0 ? tags : null;
}

/** A version no task has: a stale or unreadable If-Match then fails with 412 PRECONDITION_FAILED. */
const NO_VERSION = -1;

/**
 * The version an `If-Match` demands: undefined when absent or `*` (any current task), the listed
 * version, or one that can never match. With several listed versions the current one is looked up
 * (`currentVersion`) and kept when listed.
 */
export async function expectedVersionFrom(ifMatch: string | undefined, currentVersion: () => Promise<number>): Promise<number | undefined> {
  if (ifMatch === undefined || ifMatch.trim() === '') return undefined;
  const tags = parseEntityTags(ifMatch);
  if (tags === '*') return undefined;
  const versions = (tags ?? []).filter((tag) => /^\d{1,9}$/.test(tag)).map(Number);
  if (versions.length === 0) return NO_VERSION;
  if (versions.length === 1) return versions[0];
  const current = await currentVersion();
  return versions.includes(current) ? current : NO_VERSION;
}

/** True when `If-None-Match` lists the current version (or is `*`): answer 304. */
export function ifNoneMatchHits(ifNoneMatch: string | undefined, version: number): boolean {
  if (ifNoneMatch === undefined) return false;
  const tags = parseEntityTags(ifNoneMatch);
  return tags === '*' || (tags ?? []).includes(String(version));
}

const ETAG_HEADER = {
  ETag: { description: 'Weak entity tag of the task version, e.g. `W/"3"`', schema: { type: 'string', example: 'W/"3"' } },
};

/** Documents a single-task response with its ETag (and Location for 201). */
export function ApiTaskResponse(status: 200 | 201, description: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(TaskResponseDto),
    ApiResponse({
      status,
      description,
      schema: { $ref: getSchemaPath(TaskResponseDto) },
      headers:
        status === 201
          ? {
              ...ETAG_HEADER,
              Location: {
                description: 'URL of the new task',
                schema: { type: 'string', example: '/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30' },
              },
            }
          : ETAG_HEADER,
    }),
  );
}

export const ApiIfMatch = (): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'Only act if the task is still at this version (an ETag from an earlier response, e.g. `W/"3"`); otherwise 412 PRECONDITION_FAILED',
    schema: { type: 'string', example: 'W/"3"' },
  });

export const ApiIfNoneMatch = (): MethodDecorator =>
  ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'An ETag the client holds; when the task is still at that version the answer is 304 with no body',
    schema: { type: 'string', example: 'W/"3"' },
  });

export const ApiIdempotencyKey = (): MethodDecorator =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes the POST safe to retry: the same key with the same body within 24 h replays the first response (`Idempotent-Replayed: true`); ' +
      'with a different body → 422 IDEMPOTENCY_KEY_REUSED; while the first is running → 409 IDEMPOTENCY_IN_PROGRESS',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  });
