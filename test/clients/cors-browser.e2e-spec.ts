import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { Session, adminSession } from '../support/auth-fixtures';
import { artifactPath, describeWithChromium, launchChromium } from '../support/chromium';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * CORS as a browser app sees it: a page served from another origin (a second local HTTP server,
 * so another port) calls the API with fetch() in real Chromium — POST, PATCH and DELETE with
 * Authorization, Content-Type, If-Match, Idempotency-Key and X-Request-Id — and reads ETag,
 * Location, X-Request-Id and RateLimit-Remaining from the responses in page JavaScript. The
 * same script from an origin not in CORS_ORIGINS is blocked by the browser before the PATCH is
 * sent. Screenshot: test-artifacts/cors-browser.png.
 */

/** The browser app: runs the scenario against `api` and shows what page JS could read. */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>taskwire CORS client</title>
<style>body{font:14px sans-serif;margin:24px} td,th{border:1px solid #999;padding:4px 8px;text-align:left} .blocked{color:#b00}</style></head>
<body><h1>Browser app on <span id="origin"></span></h1><p>API: <span id="api"></span></p><table id="out"><tr><th>request</th><th>result</th></tr></table>
<script>
document.getElementById('origin').textContent = location.origin;
function row(label, value, blocked) {
  const tr = document.createElement('tr');
  tr.innerHTML = '<td></td><td' + (blocked ? ' class="blocked"' : '') + '></td>';
  tr.children[0].textContent = label;
  tr.children[1].textContent = value;
  document.getElementById('out').appendChild(tr);
}
async function call(label, url, init) {
  try {
    const res = await fetch(url, init);
    const seen = { status: res.status, etag: res.headers.get('ETag'), location: res.headers.get('Location'), requestId: res.headers.get('X-Request-Id'), rateLimitRemaining: res.headers.get('RateLimit-Remaining') };
    row(label, JSON.stringify(seen));
    return seen;
  } catch (err) {
    row(label, 'blocked: ' + err.message, true);
    return { blocked: String(err) };
  }
}
window.scenario = async ({ api, token }) => {
  document.getElementById('api').textContent = api;
  const auth = { Authorization: 'Bearer ' + token };
  const json = { ...auth, 'Content-Type': 'application/json' };
  const created = await call('POST /tasks', api + '/api/v1/tasks', { method: 'POST', headers: { ...json, 'Idempotency-Key': 'cors-' + location.port, 'X-Request-Id': 'cors-create-' + location.port }, body: JSON.stringify({ title: 'From ' + location.origin }) });
  if (!created.location) return { created };
  const taskUrl = api + created.location;
  const patched = await call('PATCH ' + created.location, taskUrl, { method: 'PATCH', headers: { ...json, 'If-Match': created.etag, 'X-Request-Id': 'cors-patch-' + location.port }, body: JSON.stringify({ title: 'Renamed from the browser' }) });
  const deleted = await call('DELETE ' + created.location, taskUrl, { method: 'DELETE', headers: { ...auth, 'If-Match': patched.etag || '"0"' } });
  return { created, patched, deleted };
};
</script></body></html>`;

function servePage(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

describeWithChromium('cors-browser.e2e-spec', 'CORS from a page on another origin (headless Chromium)', () => {
  let t: TestApp;
  let admin: Session;
  let browser: Browser;
  let allowed: { server: Server; origin: string };
  let denied: { server: Server; origin: string };

  beforeAll(async () => {
    allowed = await servePage();
    denied = await servePage();
    t = await startTestApp({ env: { CORS_ORIGINS: `https://app.example.com,${allowed.origin}` } });
    admin = await adminSession(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    allowed?.server.close();
    denied?.server.close();
  });

  const runScenario = async (origin: string, screenshot?: string) => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 420 } });
    try {
      await page.goto(`${origin}/`);
      const result = await page.evaluate((args) => (globalThis as any).scenario(args), { api: t.running.url, token: admin.accessToken });
      if (screenshot) await page.screenshot({ path: artifactPath(screenshot) });
      return result;
    } finally {
      await page.close();
    }
  };

  it('lets an allowed origin POST, PATCH (If-Match) and DELETE, and read ETag, Location, X-Request-Id and RateLimit-*', async () => {
    const port = new URL(allowed.origin).port;
    const result = await runScenario(allowed.origin, 'cors-browser.png');

    expect(result.created).toEqual({
      status: 201,
      etag: 'W/"1"',
      location: expect.stringMatching(/^\/api\/v1\/tasks\/[0-9a-f-]{36}$/),
      requestId: `cors-create-${port}`,
      rateLimitRemaining: expect.stringMatching(/^\d+$/),
    });
    expect(result.patched).toMatchObject({ status: 200, etag: 'W/"2"', requestId: `cors-patch-${port}` });
    expect(result.deleted).toMatchObject({ status: 204, requestId: expect.any(String) });
    // The browser really did it: the task is gone.
    expect((await t.http.get(result.created.location, { token: admin.accessToken })).status).toBe(404);
  });

  it('blocks the same page on an origin not in CORS_ORIGINS before the PATCH is sent', async () => {
    const before = await t.http.post('/api/v1/tasks', { title: 'Not to be touched' }, { token: admin.accessToken });
    const page = await browser.newPage();
    try {
      await page.goto(`${denied.origin}/`);
      const outcome = await page.evaluate(
        async ({ url, token, etag }) => {
          try {
            const res = await fetch(url, {
              method: 'PATCH',
              headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'If-Match': etag },
              body: JSON.stringify({ title: 'Hijacked' }),
            });
            return `status ${res.status}`;
          } catch (err) {
            return `blocked: ${String(err)}`;
          }
        },
        { url: `${t.running.url}/api/v1/tasks/${before.body.id}`, token: admin.accessToken, etag: before.headers.get('etag')! },
      );
      expect(outcome).toMatch(/^blocked: TypeError/);
    } finally {
      await page.close();
    }
    const after = await t.http.get(`/api/v1/tasks/${before.body.id}`, { token: admin.accessToken });
    expect(after.body).toMatchObject({ title: 'Not to be touched', version: 1 });
  });
});
