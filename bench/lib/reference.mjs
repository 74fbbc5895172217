// The bare reference (../shared/bench-reference): copied to a scratch folder under the OS temp dir
// and installed there with `npm ci` once per lockfile (+ server.js) hash, so reruns reuse the install.
// Shared by bench/run.mjs (server.js) and bench/notification-pipeline.mjs (pipeline.js).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

export function prepareReference(root, log = console.error) {
  // ../shared next to the checkout; from a worktree (e.g. /work/wt/<name>) one level further up
  const candidates = [path.resolve(root, '..', 'shared', 'bench-reference'), path.resolve(root, '..', '..', 'shared', 'bench-reference')];
  const src = process.env.BENCH_REFERENCE_DIR
    ? path.resolve(process.env.BENCH_REFERENCE_DIR)
    : (candidates.find((c) => existsSync(c)) ?? candidates[0]);
  const lock = readFileSync(path.join(src, 'package-lock.json'));
  const hash = createHash('sha256')
    .update(lock)
    .update(readFileSync(path.join(src, 'server.js')))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(os.tmpdir(), `taskwire-bench-ref-${hash}`);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(src)) {
    if (f === 'node_modules') continue;
    const to = path.join(dir, f);
    rmSync(to, { force: true });
    copyFileSync(path.join(src, f), to);
  }
  if (!existsSync(path.join(dir, 'node_modules', '.bench-installed'))) {
    log(`npm ci in ${dir} (cached by lockfile hash)`);
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
    writeFileSync(path.join(dir, 'node_modules', '.bench-installed'), hash);
  }
  return dir;
}
