#!/usr/bin/env node
// Before/after of optimizations: runs the HTTP scenarios of bench/run.mjs (this checkout's version)
// against several commits of taskwire, one after the other in one session, each with its own
// reference measured alongside, and prints a table of ratios taskwire / reference per commit.
//
//   node bench/compare-commits.mjs <commit> [<commit> …]
//
// Env: COMPARE_NODE_MODULES — a node_modules folder with every dependency any of the commits needs
// (default: this checkout's); BENCH_ONLY (default get,post), BENCH_DURATION (5), BENCH_ROUNDS (2),
// BENCH_REFERENCE_DIR. Each commit is checked out into a temporary git worktree and measured (the harness builds it);
// the worktrees are removed at the end.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const commits = process.argv.slice(2);
if (!commits.length) {
  console.error('usage: node bench/compare-commits.mjs <commit> [<commit> …]');
  process.exit(2);
}
const nodeModules = path.resolve(process.env.COMPARE_NODE_MODULES ?? path.join(ROOT, 'node_modules'));
const reference = path.resolve(process.env.BENCH_REFERENCE_DIR ?? path.join(ROOT, '..', 'shared', 'bench-reference'));
const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

const rows = [];
for (const commit of commits) {
  const sha = git('rev-parse', '--short', commit);
  const subject = git('log', '-1', '--format=%s', commit);
  const dir = mkdtempSync(path.join(os.tmpdir(), `taskwire-at-${sha}-`));
  git('worktree', 'add', '--detach', '--force', dir, commit);
  try {
    symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir');
    const out = path.join(dir, 'bench-out');
    // this checkout's harness, run from the commit's folder (so it builds and starts that commit)
    execFileSync(process.execPath, [path.join(ROOT, 'bench', 'run.mjs')], {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        BENCH_ROOT: dir,
        BENCH_OUT: out,
        BENCH_ONLY: process.env.BENCH_ONLY ?? 'get,post',
        BENCH_DURATION: process.env.BENCH_DURATION ?? '5',
        BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? '2',
        BENCH_PIPELINE: '0',
        BENCH_PROFILE: '0',
        BENCH_COLD_START: '0',
        BENCH_REFERENCE_DIR: reference,
      },
    });
    const { results } = JSON.parse(readFileSync(path.join(out, 'benchmarks.json'), 'utf8'));
    for (const s of results.scenarios.filter((x) => x.ref)) {
      rows.push({ sha, subject, scenario: s.name, tw: s.tw, ref: s.ref, rss: results.rss?.maxMb });
    }
  } finally {
    git('worktree', 'remove', '--force', dir);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

const f2 = (v) => (Number.isFinite(v) ? v.toFixed(2) : '–');
console.log(
  '\n| commit | scenario | throughput ratio | p99 ratio | CPU ms/req ratio | taskwire req/s | ref req/s | taskwire / ref CPU ms per request |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| \`${r.sha}\` ${r.subject.slice(0, 60)} | ${r.scenario} | ${f2(r.tw.rps / r.ref.rps)}× | ${f2(r.tw.p99 / Math.max(1, r.ref.p99))}× | ${f2(r.tw.cpuMsPerReq / r.ref.cpuMsPerReq)}× | ${r.tw.rps.toFixed(0)} | ${r.ref.rps.toFixed(0)} | ${f2(r.tw.cpuMsPerReq)} / ${f2(r.ref.cpuMsPerReq)} |`,
  );
}
