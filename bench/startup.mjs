// Cold start to ready (embedded defaults): first start (initdb) and second start, plus idle RSS.
// Usage: npm run build && node bench/startup.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-startup-'));
const port = 3400 + Math.floor(Math.random() * 400);

async function startOnce(label) {
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const t0 = performance.now();
  const child = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: 'ignore' });
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.status === 200) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 5000));
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
  child.kill('SIGTERM');
  const code = await new Promise((r) => child.once('exit', r));
  console.log(
    `${label}: ready in ${readyMs.toFixed(0)} ms, idle RSS ${rss.toFixed(0)} MB (node process; PostgreSQL runs separately), exit ${code}`,
  );
}

await startOnce('first start (initdb)');
await startOnce('second start');
await startOnce('third start');
rmSync(dataDir, { recursive: true, force: true });
