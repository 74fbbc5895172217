#!/usr/bin/env node
// Re-renders docs/benchmarks.md and docs/benchmarks.svg from docs/benchmarks.json (the last
// `npm run bench`), e.g. after editing bench/findings.md. Optional: PROFILE=<file.cpuprofile>
// SKIP_MS=<ms of start-up to leave out> to re-summarise a kept CPU profile.
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summariseProfile } from './lib/cpuprofile.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { renderSvg } from './lib/svg.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.BENCH_OUT ? path.resolve(process.env.BENCH_OUT) : path.join(ROOT, 'docs');
const { meta, results } = JSON.parse(readFileSync(path.join(dir, 'benchmarks.json'), 'utf8'));
meta.startedAt = new Date(meta.startedAt);
if (!Array.isArray(meta.cpus)) meta.cpus = os.cpus().map(({ model, speed }) => ({ model, speed })); // older JSON: count only
if (process.env.PROFILE) {
  results.profile = {
    ...summariseProfile(JSON.parse(readFileSync(process.env.PROFILE, 'utf8')), ROOT, { skipMs: Number(process.env.SKIP_MS ?? 0) }),
    file: process.env.PROFILE,
  };
}
writeFileSync(path.join(dir, 'benchmarks.md'), renderMarkdown(results, meta));
writeFileSync(path.join(dir, 'benchmarks.svg'), renderSvg(results, meta));
writeFileSync(path.join(dir, 'benchmarks.json'), JSON.stringify({ meta, results }, null, 2));
console.log(`re-rendered ${path.join(dir, 'benchmarks.md')} and benchmarks.svg`);
