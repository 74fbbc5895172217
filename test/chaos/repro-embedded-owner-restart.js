// Reproduces the embedded-owner restart problem (docs/chaos-report.md, "Residual risks"):
// two API processes share one DATA_DIR; the owner of the embedded PostgreSQL is SIGKILLed and
// restarted; the other process is left on the old port (ready 503, login 500).
// Run: node scripts/build.js && node test/chaos/repro-embedded-owner-restart.js
const { spawn } = require('node:child_process');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const net = require('node:net');
const ROOT = join(__dirname, '..', '..');
const freePort = () =>
  new Promise((res) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function start(env, port) {
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  delete clean.REDIS_URL;
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: { ...clean, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = new Promise((r) => child.once('exit', r));
  return { child, port, exited, output: () => out };
}
async function ready(p) {
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${p.port}/health/ready`)).status === 200) return;
    } catch {}
    await sleep(100);
  }
  throw new Error('not ready ' + p.output());
}
(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tw-ownerkill-'));
  const env = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: 'e2e-test-secret-that-is-long-enough-0123456789',
    APP_ROLE: 'api',
    ADMIN_EMAIL: 'a@taskwire.test',
    ADMIN_PASSWORD: 'admin-password-1',
  };
  const login = async (port) =>
    (
      await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'a@taskwire.test', password: 'admin-password-1' }),
      })
    ).status;
  const p1 = start(env, await freePort());
  await ready(p1);
  const p2 = start(env, await freePort());
  await ready(p2);
  console.log('before: p2 login', await login(p2.port));
  p1.child.kill('SIGKILL');
  await p1.exited;
  console.log('after owner kill -9: p2 login', await login(p2.port));
  const p1b = start(env, p1.port);
  await ready(p1b);
  console.log('after owner restart: p1b login', await login(p1b.port));
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`http://127.0.0.1:${p2.port}/health/ready`)
      .then((x) => x.status)
      .catch((e) => String(e));
    console.log(`t+${i * 3}s: p2 ready ${r}, p2 login ${await login(p2.port).catch((e) => String(e))}`);
    await sleep(3000);
  }
  console.log(p1b.output().slice(0, 800));
  p1b.child.kill('SIGTERM');
  p2.child.kill('SIGTERM');
  await Promise.all([p1b.exited, p2.exited]);
  process.exit(0);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
