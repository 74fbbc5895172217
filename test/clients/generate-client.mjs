#!/usr/bin/env node
// `npm run client:generate [-- --url http://127.0.0.1:3000]`: writes test/clients/generated/taskwire.d.ts
// from a running taskwire's /docs/openapi.json. Without --url it builds and starts one itself (a
// throwaway embedded PostgreSQL under a temporary DATA_DIR, BullMQ on PostgreSQL), then stops it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(here, 'generated', 'taskwire.d.ts');
const urlArg = process.argv.find((a) => a.startsWith('--url='))?.slice(6) ?? (process.argv.includes('--url') ? process.argv[process.argv.indexOf('--url') + 1] : undefined);

const HEADER = [
  '/**',
  ' * taskwire API types, generated from /docs/openapi.json by openapi-typescript.',
  ' * Do not edit: `npm run client:generate` (or any run of test/clients/typed-client.e2e-spec.ts) rewrites it.',
  ' */',
].join('\n');

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startApp() {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' });
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-client-'));
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_FORMAT: 'json' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  delete env.NODE_ENV;
  const child = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`taskwire exited before it was ready:\n${output}`);
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`taskwire not ready within 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const app = urlArg ? { base: urlArg.replace(/\/+$/, ''), stop: async () => {} } : await startApp();
try {
  const res = await fetch(`${app.base}/docs/openapi.json`);
  if (res.status !== 200) throw new Error(`GET ${app.base}/docs/openapi.json answered ${res.status}`);
  const document = await res.json();
  const text = `${HEADER}\n${astToString(await openapiTS(document, { alphabetize: true, defaultNonNullable: false }))}`;
  const before = existsSync(out) ? readFileSync(out, 'utf8') : null;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  console.log(`${before === text ? 'unchanged' : 'wrote'} ${out} (${Object.keys(document.paths).length} paths)`);
} finally {
  await app.stop();
}
