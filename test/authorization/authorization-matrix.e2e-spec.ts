import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '../../src/kernel';
import { TestApp, startTestApp } from '../support/test-app';
import { adminSession, createUser } from '../support/auth-fixtures';
import { Expectation, MatrixRow } from './matrix-types';

type Caller = 'anonymous' | 'member' | 'manager' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'member', 'manager', 'admin'];
const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** Every `test/authorization/matrix/*.matrix.ts`'s `rows`, each tagged with its file. */
function loadMatrix(): Array<MatrixRow & { file: string }> {
  const dir = join(__dirname, 'matrix');
  return readdirSync(dir)
    .filter((f) => /\.matrix\.(ts|js)$/.test(f))
    .sort()
    .flatMap((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { rows } = require(join(dir, file)) as { rows?: MatrixRow[] };
      if (!Array.isArray(rows)) throw new Error(`${file} must export \`rows: MatrixRow[]\``);
      return rows.map((row) => ({ ...row, file }));
    });
}

const joinPath = (...parts: string[]) =>
  `/${parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
const asList = (value: unknown): string[] => (Array.isArray(value) ? value : [value ?? '']).map(String);

/**
 * Every route the running app serves, from Nest's route metadata (controllers × handlers), with
 * the global prefix where it applies. Which form is served (prefixed, or excluded from the
 * prefix like the health routes) is asked of Fastify's router, so the prefix rules are not
 * duplicated here.
 */
function servedRoutes(t: TestApp): Array<{ method: string; path: string }> {
  const discovery = t.running.app.get(DiscoveryService);
  const scanner = new MetadataScanner();
  const fastify = t.running.app.getHttpAdapter().getInstance();
  const routes = new Map<string, { method: string; path: string }>();
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const prototype = Object.getPrototypeOf(instance);
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const methodCode = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (methodCode === undefined) continue;
      const method = RequestMethod[methodCode];
      for (const base of asList(Reflect.getMetadata(PATH_METADATA, metatype))) {
        for (const sub of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
          const plain = joinPath(base, sub);
          const candidates = [joinPath('api/v1', plain), plain];
          const served = candidates.find((url) => fastify.hasRoute({ method: method as never, url }));
          if (!served)
            throw new Error(
              `${method} ${plain} (${metatype.name}.${name}) is declared but Fastify serves neither ${candidates.join(' nor ')}`,
            );
          routes.set(routeKey({ method, path: served }), { method, path: served });
        }
      }
    }
  }
  return [...routes.values()];
}

/**
 * The authorization matrix: the table in test/authorization/matrix/*.matrix.ts must list exactly
 * the routes the app serves, and every route must treat anonymous callers, members, managers and
 * admins as the table says.
 */
describe('authorization matrix', () => {
  let t: TestApp;
  let tokens: Record<Exclude<Caller, 'anonymous'>, string>;
  const matrix = loadMatrix();

  beforeAll(async () => {
    t = await startTestApp({ extraImports: [DiscoveryModule] });
    const [admin, manager, member] = await Promise.all([adminSession(t), createUser(t, 'manager'), createUser(t, 'member')]);
    tokens = { admin: admin.accessToken, manager: manager.accessToken, member: member.accessToken };
  });
  afterAll(() => t?.close());

  it('has each route once', () => {
    const seen = new Map<string, string>();
    const duplicates = matrix.filter((row) => {
      const key = routeKey(row);
      const first = seen.get(key);
      seen.set(key, first ?? row.file);
      return first !== undefined;
    });
    expect(duplicates.map((row) => `${routeKey(row)} (${row.file})`)).toEqual([]);
  });

  it('lists exactly the routes the app serves', () => {
    const served = new Set(servedRoutes(t).map(routeKey));
    const listed = new Set(matrix.map(routeKey));
    expect({
      servedButNotInTheMatrix: [...served].filter((r) => !listed.has(r)).sort(),
      inTheMatrixButNotServed: [...listed].filter((r) => !served.has(r)).sort(),
    }).toEqual({ servedButNotInTheMatrix: [], inTheMatrixButNotServed: [] });
  });

  it('gives every caller what the matrix says on every route', async () => {
    const mismatches: string[] = [];
    for (const row of matrix) {
      const path = row.path.replace(/:[A-Za-z0-9_]+/g, () => newId());
      for (const caller of CALLERS) {
        const status = await send(row, path, caller === 'anonymous' ? undefined : tokens[caller]);
        if (!satisfies(status, row[caller]))
          mismatches.push(`${routeKey(row)} as ${caller}: expected ${row[caller]}, got ${status} (${row.file})`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  async function send(row: MatrixRow, path: string, token?: string): Promise<number> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (row.body !== undefined) headers['content-type'] = 'application/json';
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 10_000);
    try {
      const res = await fetch(`${t.running.url}${path}`, {
        method: row.method,
        headers,
        body: row.body === undefined ? undefined : JSON.stringify(row.body),
        signal: abort.signal,
      });
      // A stream is judged by its status; the connection is dropped without reading it.
      if (row.stream) abort.abort();
      else await res.arrayBuffer();
      return res.status;
    } finally {
      clearTimeout(timer);
    }
  }
});

function satisfies(status: number, expectation: Expectation): boolean {
  return expectation === 'allow' ? status !== 401 && status !== 403 : status === expectation;
}
