import { applyDecorators, INestApplication, Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  DocumentBuilder,
  OpenAPIObject,
  SwaggerModule,
  getSchemaPath,
} from '@nestjs/swagger';
import { documentIdempotencyKey } from '../idempotency/idempotency-openapi';
import { refineOpenApiDocument } from './openapi-refinements';
import { PROBLEM_CONTENT_TYPE } from './problem';

export class FieldErrorDto {
  @ApiProperty({ example: 'title' }) field!: string;
  @ApiProperty({ example: 'title must be shorter than or equal to 200 characters' }) message!: string;
}

/** RFC 9457 problem document (every error response). */
export class ProblemDto {
  @ApiProperty({ example: 'https://taskwire.dev/problems/validation-failed' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 }) status!: number;
  @ApiProperty({ example: 'title: title must be shorter than or equal to 200 characters' }) detail!: string;
  @ApiProperty({ example: '/api/v1/tasks' }) instance!: string;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable UPPER_SNAKE identifier' }) code!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: '400 VALIDATION_FAILED: one entry per invalid field' })
  errors?: FieldErrorDto[];
  // Extension members some problems carry (the server adds them; clients may rely on them):
  @ApiPropertyOptional({
    type: [String],
    description: '409 INVALID_TRANSITION: the `/transition` targets the caller may choose instead',
    example: ['in_progress', 'draft', 'cancelled'],
  })
  allowedTransitions?: string[];
  @ApiPropertyOptional({ description: '409 INVALID_TRANSITION and TASK_CLOSED: the task’s state now', example: 'assigned' })
  currentState?: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: '429 TOO_MANY_ATTEMPTS: seconds until the next attempt (also `Retry-After`)',
    example: 42,
  })
  retryAfterSeconds?: number;
  @ApiPropertyOptional({
    format: 'uuid',
    description: '422 ASSIGNEE_NOT_FOUND and ASSIGNEE_INACTIVE: the assignee named',
    example: '019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30',
  })
  assigneeId?: string;
}

/** Tag order is the order Swagger UI lists them in: the API from sign-in outwards, operations last. */
export const OPENAPI_TAGS: ReadonlyArray<[name: string, description: string]> = [
  ['auth', 'Sign up, sign in, token refresh and sign out (public, except sign out). Rate limited per IP and email (`AUTH_RATE_LIMIT`).'],
  ['users', 'The signed-in user’s profile and the team directory; admins create users and change roles.'],
  [
    'tasks',
    'Tasks and their lifecycle (draft → assigned → in_progress → completed, or cancelled), comments, watchers and the audit trail of each task.',
  ],
  [
    'events',
    'The audit trail of every change (admins and managers) and the live Server-Sent Events stream (everyone, filtered by visibility).',
  ],
  ['notifications', 'The caller’s in-app notifications and preferences; the delivery ledger of every channel (admins and managers).'],
  ['webhooks', 'Webhook endpoints (admins): Standard Webhooks signatures, secret rotation, delivery history and redelivery.'],
  ['operations', 'Health, readiness, metrics and the admin status overview — for operators and orchestrators, outside `/api/v1`.'],
];

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON or invalid fields (`errors[]` lists each)',
  401: 'Missing, invalid or expired credentials',
  403: 'Authenticated but not allowed',
  404: 'Unknown, or not visible to the caller',
  409: 'Conflicts with the current state',
  412: '`If-Match` is stale',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Well-formed but refers to something invalid',
  429: 'Rate limited (see `Retry-After`)',
  503: 'Not ready',
};

/** Documents problem+json error responses for an operation. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}

/** Documents a `{data: T[], nextCursor}` page response. */
export function ApiPageResponse(item: Type<unknown>, description = 'A page of results'): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    ApiResponse({
      status: 200,
      description,
      schema: {
        type: 'object',
        required: ['data', 'nextCursor'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' },
        },
      },
    }),
  );
}

/** The document `/docs/openapi.json` serves (also built offline by src/openapi-document.ts). */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('taskwire')
      .setDescription(
        'Tasks, their lifecycle and the notifications they cause. Errors are RFC 9457 `application/problem+json` with a stable `code`. ' +
          'Lists use `limit` (1..100) and an opaque `cursor`.',
      )
      .setVersion(version)
      // Relative: resolves against wherever the document was fetched from (any host, plain HTTP or
      // TLS), so generated clients and Swagger UI get a usable base URL; paths carry /api/v1.
      .addServer('/', 'This server (the origin serving this document)')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from /api/v1/auth/login' })
      .addSecurityRequirements('bearer')
      .build(),

    { operationIdFactory: (controllerKey, methodKey) => `${controllerKey}.${methodKey}`, extraModels: [ProblemDto] },
  );
  document.tags = OPENAPI_TAGS.map(([name, description]) => ({ name, description }));
  documentIdempotencyKey(document, getSchemaPath(ProblemDto));
  return refineOpenApiDocument(document, getSchemaPath(ProblemDto));
}

export function setupOpenApi(app: INestApplication, version: string): void {
  const document = buildOpenApiDocument(app, version);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    swaggerOptions: { persistAuthorization: true },
    customSiteTitle: 'taskwire API',
  });
}
