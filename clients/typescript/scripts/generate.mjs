#!/usr/bin/env node
// Writes clients/typescript/src/schema.d.ts (openapi-typescript) from the OpenAPI document.
//
//   npm run client:generate                      the document as the code builds it (dist/, offline)
//   node …/generate.mjs --url http://host:3000   the document a running taskwire serves
//   node …/generate.mjs --document file|-        a document file, or stdin
//   add --check                                  write nothing; exit 1 when schema.d.ts differs (the drift check)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const out = join(here, '..', 'src', 'schema.d.ts');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};

const HEADER = [
  '/**',
  ' * taskwire API types, generated from /docs/openapi.json by openapi-typescript.',
  ' * Do not edit: `npm run client:generate` rewrites it (and `npm test` fails while it is stale).',
  ' */',
].join('\n');

async function loadDocument() {
  const url = arg('--url');
  if (url) {
    const res = await fetch(`${url.replace(/\/+$/, '')}/docs/openapi.json`);
    if (res.status !== 200) throw new Error(`GET ${url}/docs/openapi.json answered ${res.status}`);
    return res.json();
  }
  const file = arg('--document');
  if (file === '-') {
    // Not readFileSync(0): a non-blocking stdin pipe (as a test runner's child gets) answers EAGAIN.
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }
  if (file) return JSON.parse(readFileSync(file, 'utf8'));
  const built = join(root, 'dist', 'src', 'openapi-document.js');
  if (!existsSync(built)) throw new Error('dist/ is missing: run `node scripts/build.js` first (npm run client:generate does)');
  return JSON.parse(
    execFileSync(process.execPath, [built], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
}

export async function schemaSource(document) {
  return `${HEADER}\n${astToString(await openapiTS(document, { alphabetize: true, defaultNonNullable: false }))}`;
}

const document = await loadDocument();
const text = await schemaSource(document);
const before = existsSync(out) ? readFileSync(out, 'utf8') : null;
if (process.argv.includes('--check')) {
  if (before !== text) {
    console.error(`${out} is stale: the OpenAPI document changed. Run \`npm run client:generate\` and commit the result.`);
    process.exit(1);
  }
  console.log(`up to date: ${out}`);
} else {
  writeFileSync(out, text);
  console.log(`${before === text ? 'unchanged' : 'wrote'} ${out} (${Object.keys(document.paths).length} paths)`);
}
