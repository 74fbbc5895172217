import { allowedMethods, routePatternToRegExp } from './method-not-allowed';

describe('method-not-allowed route table', () => {
  const route = (url: string, ...methods: string[]) => ({ matches: routePatternToRegExp(url), methods: new Set(methods) });

  it('matches parameters as one segment, wildcards as the rest, and an optional trailing slash', () => {
    const comments = routePatternToRegExp('/api/v1/tasks/:id/comments');
    expect(comments.test('/api/v1/tasks/0193a3c0-0000-7000-8000-000000000000/comments')).toBe(true);
    expect(comments.test('/api/v1/tasks/abc/comments/')).toBe(true);
    expect(comments.test('/api/v1/tasks/abc/def/comments')).toBe(false);
    expect(comments.test('/api/v1/tasks//comments')).toBe(false);
    expect(routePatternToRegExp('/docs/*').test('/docs/swagger-ui.css')).toBe(true);
    expect(routePatternToRegExp('/api/v1/a.b').test('/api/v1/aXb')).toBe(false);
  });

  it('lists the methods of every matching route in a fixed order, HEAD with GET', () => {
    const routes = [
      route('/api/v1/tasks/:id', 'DELETE', 'GET'),
      route('/api/v1/tasks/:id', 'PATCH'),
      route('/api/v1/tasks', 'POST', 'GET'),
    ];
    expect(allowedMethods(routes, '/api/v1/tasks/1')).toEqual(['GET', 'HEAD', 'PATCH', 'DELETE']);
    expect(allowedMethods(routes, '/api/v1/tasks')).toEqual(['GET', 'HEAD', 'POST']);
    expect(allowedMethods(routes, '/api/v1/nope')).toEqual([]);
  });
});
