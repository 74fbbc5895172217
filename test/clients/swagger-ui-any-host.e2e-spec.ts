import type { Browser } from 'playwright-core';
import { artifactPath, describeWithChromium, launchChromium } from '../support/chromium';
import { TestApp, startTestApp } from '../support/test-app';

/**
 * /docs over plain HTTP under a host name that is not loopback, as `docker compose` or
 * `HOST=0.0.0.0` users open it (`http://<host>:3000/docs`). Chromium maps taskwire.test to
 * 127.0.0.1 itself, so no DNS or /etc/hosts is involved. Loopback is "potentially trustworthy" to
 * the browser and hid the bug: there a CSP `upgrade-insecure-requests` is harmless, elsewhere it
 * sent every Swagger UI asset to https and left the page blank. Screenshot:
 * test-artifacts/swagger-ui-any-host.png.
 */
describeWithChromium('swagger-ui-any-host.e2e-spec', 'Swagger UI at http://taskwire.test:<port>/docs (headless Chromium)', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchChromium(['--host-resolver-rules=MAP taskwire.test 127.0.0.1']);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders the operations, with a CSP that does not upgrade to https', async () => {
    const base = `http://taskwire.test:${new URL(t.running.url).port}`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const failed: string[] = [];
    page.on('requestfailed', (req) => failed.push(`${req.url()} (${req.failure()?.errorText})`));
    try {
      const response = await page.goto(`${base}/docs`, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(200);
      // A blank page (the bug) has no title to wait for.
      await page.locator('.swagger-ui .info .title').filter({ hasText: 'taskwire' }).waitFor({ timeout: 10_000 });
      await page.locator('.opblock-tag[data-tag="tasks"]').waitFor();
      const createTask = page.locator('.opblock.opblock-post .opblock-summary-path[data-path="/api/v1/tasks"]');
      expect(await createTask.isVisible()).toBe(true);
      expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
      await page.screenshot({ path: artifactPath('swagger-ui-any-host.png') });
      expect(failed).toEqual([]);
      expect(errors).toEqual([]);

      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
    } finally {
      await page.close();
    }
  });
});
