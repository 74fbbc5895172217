import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblemError } from './error-to-problem';
import { sendProblem } from './problem-exception.filter';

/** The order `Allow` lists methods in (others, if any, follow alphabetically). */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const logger = new Logger('HTTP');

interface RoutePattern {
  matches: RegExp;
  methods: Set<string>;
}

/**
 * A route pattern (`/api/v1/tasks/:id/comments`, `/docs/*`) as a regular expression over request
 * paths; a trailing slash is optional (the router ignores it). Constraints like `:id(^\d+)` are
 * read as any segment: this only decides 404 or 405 for requests no route took.
 */
export function routePatternToRegExp(url: string): RegExp {
  const source = url
    .replace(/\/+$/, '')
    .split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

/** Methods of the routes whose pattern matches `path`, in METHOD_ORDER (HEAD wherever GET is). */
export function allowedMethods(routes: Iterable<RoutePattern>, path: string): string[] {
  const found = new Set<string>();
  for (const route of routes) if (route.matches.test(path)) for (const m of route.methods) found.add(m);
  if (found.has('GET')) found.add('HEAD');
  return [...found].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const rank = (method: string): number => (METHOD_ORDER.includes(method) ? METHOD_ORDER.indexOf(method) : METHOD_ORDER.length);

/**
 * A known path asked with a method it does not have is a 405 with `Allow` (RFC 9110 §15.5.6),
 * not the router's 404: HTTP clients and tools read `Allow` to see what the path offers. Fastify
 * only reports "no route", so the route table is collected as routes are registered (call this
 * before any route is, after the hook that sets the security headers), and requests the not-found
 * handler gets are checked against it. Unknown
 * paths stay 404. Catch-all routes (`*`, as @fastify/cors adds for preflights) say nothing about
 * a path and are left out.
 */
export function registerMethodNotAllowed(fastify: FastifyInstance): void {
  const routes = new Map<string, RoutePattern>();
  fastify.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (!url || /^\/?\*$/.test(url)) return;
    const key = url.replace(/\/+$/, '') || '/';
    let entry = routes.get(key);
    if (!entry) routes.set(key, (entry = { matches: routePatternToRegExp(url), methods: new Set() }));
    for (const method of [route.method].flat()) entry.methods.add(String(method).toUpperCase());
  });
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (!request.is404) return done();
    const path = (request.raw.url ?? '/').split('?')[0];
    const allow = allowedMethods(routes.values(), path);
    if (!allow.length || allow.includes(request.method)) return done();
    const detail = `${request.method} is not allowed on this path; it allows ${allow.join(', ')}`;
    sendProblem(reply, request, new HttpProblemError(405, 'METHOD_NOT_ALLOWED', detail, {}, { allow: allow.join(', ') }), logger);
  });
}
