import { applyDecorators, INestApplication, Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, DocumentBuilder, SwaggerModule, getSchemaPath } from '@nestjs/swagger';
import { documentIdempotencyKey } from '../idempotency/idempotency-openapi';
import { PROBLEM_CONTENT_TYPE } from './problem';

export class FieldErrorDto {
  @ApiProperty({ example: 'title' }) field!: string;
  @ApiProperty({ example: 'title must be shorter than or equal to 200 characters' }) message!: string;
}

/** RFC 9457 problem document (every error response). */
export class ProblemDto {
  @ApiProperty({ example: 'https://taskwire.dev/problems/validation-failed' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'title: title must be shorter than or equal to 200 characters' }) detail!: string;
  @ApiProperty({ example: '/api/v1/tasks' }) instance!: string;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable UPPER_SNAKE identifier' }) code!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}

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

export function setupOpenApi(app: INestApplication, version: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('taskwire')
      .setDescription(
        'Tasks, their lifecycle and the notifications they cause. Errors are RFC 9457 `application/problem+json` with a stable `code`. ' +
          'Lists use `limit` (1..100) and an opaque `cursor`.',
      )
      .setVersion(version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from /api/v1/auth/login' })
      .addSecurityRequirements('bearer')
      .build(),
    { operationIdFactory: (controllerKey, methodKey) => `${controllerKey}.${methodKey}`, extraModels: [ProblemDto] },
  );
  documentIdempotencyKey(document, getSchemaPath(ProblemDto));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    swaggerOptions: { persistAuthorization: true },
    customSiteTitle: 'taskwire API',
  });
}
