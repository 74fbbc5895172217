import type { OpenAPIObject } from '@nestjs/swagger';
import { documentIdempotencyKey } from './idempotency-openapi';

function doc(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1', description: 'API.' },
    paths: {
      '/api/v1/tasks': {
        post: { responses: { '201': { description: 'created' }, '409': { description: 'Conflicts with the current state' } } },
        get: { responses: { '200': { description: 'page' } } },
      },
      '/api/v1/auth/login': { post: { security: [], responses: { '200': { description: 'ok' } } } },
    },
  } as unknown as OpenAPIObject;
}

describe('documentIdempotencyKey', () => {
  const document = documentIdempotencyKey(doc(), '#/components/schemas/ProblemDto');
  const tasks = document.paths['/api/v1/tasks'] as any;

  it('adds the optional header parameter to authenticated POST operations only', () => {
    expect(tasks.post.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]);
    expect(tasks.get.parameters).toBeUndefined();
    expect((document.paths['/api/v1/auth/login'] as any).post.parameters).toBeUndefined();
  });

  it('documents Idempotent-Replayed on success and the idempotency problems', () => {
    expect(tasks.post.responses['201'].headers['Idempotent-Replayed']).toBeDefined();
    expect(tasks.post.responses['409'].description).toBe('Conflicts with the current state; or `IDEMPOTENCY_IN_PROGRESS`');
    expect(tasks.post.responses['422'].description).toContain('IDEMPOTENCY_KEY_REUSED');
    expect(tasks.post.responses['400'].description).toContain('INVALID_IDEMPOTENCY_KEY');
  });

  it('notes in the API description that unauthenticated requests ignore the header', () => {
    expect(document.info.description).toMatch(/^API\.\n\n/);
    expect(document.info.description).toContain('without an authenticated user');
  });

  it('is idempotent itself', () => {
    const twice = documentIdempotencyKey(documentIdempotencyKey(doc()));
    const post = (twice.paths['/api/v1/tasks'] as any).post;
    expect(post.parameters).toHaveLength(1);
    expect(twice.info.description).toBe(documentIdempotencyKey(doc()).info.description);
    expect(post.responses['409'].description.match(/IDEMPOTENCY_IN_PROGRESS/g)).toHaveLength(1);
  });
});
