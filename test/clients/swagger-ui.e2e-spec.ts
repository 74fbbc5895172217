import { Browser } from 'playwright-core';
import { artifactPath, describeWithChromium, launchChromium } from '../support/chromium';
import { TestApp, startTestApp } from '../support/test-app';
import { Session, adminSession } from '../support/auth-fixtures';

/**
 * Swagger UI in a real browser (Debian's Chromium, headless, driven by Playwright): open /docs,
 * Authorize with a bearer token, open POST /tasks, "Try it out", fill the body, Execute, and see
 * 201 in the page. The screenshot is saved to test-artifacts/swagger-ui.png.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`); skipped with a message when absent.
 */
describeWithChromium('swagger-ui.e2e-spec', 'Swagger UI in headless Chromium', () => {
  let t: TestApp;
  let admin: Session;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await adminSession(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('authorizes with a token, tries POST /tasks and shows 201', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // Only this app is ever contacted (no CDN, no validator badge).
    const foreign: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(t.running.url) && !req.url().startsWith('data:')) foreign.push(req.url());
    });

    await page.goto(`${t.running.url}/docs`, { waitUntil: 'networkidle' });
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'taskwire' }).waitFor();

    // Authorize: paste the access token into the bearer scheme.
    await page.locator('button.authorize').first().click();
    const modal = page.locator('.modal-ux');
    await modal.locator('input').first().fill(admin.accessToken);
    await modal.locator('button.authorize').click();
    await modal.locator('button.btn-done, button.close-modal').first().click();

    // POST /api/v1/tasks → Try it out → body → Execute.
    const operation = page
      .locator('.opblock.opblock-post')
      .filter({ has: page.locator('.opblock-summary-path[data-path="/api/v1/tasks"]') });
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    const body = operation.locator('textarea.body-param__text');
    await body.fill(JSON.stringify({ title: 'Made in Swagger UI', priority: 'high', labels: ['browser'] }, null, 2));
    await operation.locator('button.execute').click();

    const status = operation.locator('.live-responses-table tr.response .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    expect((await status.innerText()).trim()).toMatch(/^201/);
    const responseBody = await operation.locator('.live-responses-table tr.response .response-col_description').first().innerText();
    expect(responseBody).toContain('Made in Swagger UI');

    await status.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('swagger-ui.png'), fullPage: false });

    // The task really exists, made by the admin whose token was pasted.
    const list = await t.http.get('/api/v1/tasks?label=browser', { token: admin.accessToken });
    expect(list.body.data).toEqual([expect.objectContaining({ title: 'Made in Swagger UI', creatorId: admin.id })]);
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
