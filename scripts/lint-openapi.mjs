#!/usr/bin/env node
// `node scripts/lint-openapi.mjs` (part of `npm run lint`): lints the OpenAPI document exactly as
// /docs/openapi.json serves it with Redocly (`recommended`) and Spectral (`spectral:oas`), the
// two linters API consumers run. Fails on any error; prints the warnings by rule.
// The document is built offline (src/openapi-document.ts: Nest preview mode, no database);
// `node scripts/lint-openapi.mjs some.json` lints that file instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const dir = mkdtempSync(join(tmpdir(), 'taskwire-openapi-lint-'));
const given = process.argv[2];
const documentFile = given ? resolve(given) : join(dir, 'openapi.json');
const ruleset = join(dir, '.spectral.yaml');

try {
  if (!given) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' });
    execFileSync(process.execPath, [join(root, 'dist', 'src', 'openapi-document.js'), documentFile], { cwd: root, stdio: 'inherit' });
  }
  writeFileSync(ruleset, 'extends: ["spectral:oas"]\n');

  const redocly = spawnSync(bin('redocly'), ['lint', documentFile, '--extends', 'recommended', '--format', 'json'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const redoclyProblems = parseJson(redocly.stdout, 'redocly')?.problems ?? [];
  const spectral = spawnSync(
    bin('spectral'),
    ['lint', documentFile, '--ruleset', ruleset, '--format', 'json', '--fail-severity', 'error', '--quiet'],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  const spectralProblems = (parseJson(spectral.stdout || '[]', 'spectral') ?? []).map((p) => ({
    ruleId: p.code,
    severity: ['error', 'warn', 'info', 'hint'][p.severity] ?? 'info',
    message: p.message,
    at: p.path.join('.'),
  }));

  const report = (tool, problems) => {
    const errors = problems.filter((p) => p.severity === 'error');
    const warnings = problems.filter((p) => p.severity === 'warn');
    console.log(`${tool}: ${errors.length} error(s), ${warnings.length} warning(s)`);
    const byRule = new Map();
    for (const p of [...errors, ...warnings]) byRule.set(`${p.severity} ${p.ruleId}`, (byRule.get(`${p.severity} ${p.ruleId}`) ?? 0) + 1);
    for (const [rule, n] of byRule) console.log(`  ${rule}: ${n}`);
    for (const p of errors) console.log(`  ERROR ${p.ruleId} ${p.at ?? p.location?.[0]?.pointer ?? ''}: ${p.message}`);
    return errors.length;
  };
  const errors =
    report(
      'redocly (recommended)',
      redoclyProblems.map((p) => ({ ...p, at: p.location?.[0]?.pointer })),
    ) + report('spectral (spectral:oas)', spectralProblems);
  if (redocly.status !== 0 && errors === 0) throw new Error(`redocly exited ${redocly.status}: ${redocly.stderr}`);
  if (errors > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function parseJson(text, tool) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${tool} did not print JSON:\n${text}`);
  }
}
