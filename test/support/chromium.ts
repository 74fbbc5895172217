import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { ROOT } from './process-runner';

/**
 * Debian's Chromium, headless, driven by Playwright (as test/clients/swagger-ui.e2e-spec.ts does).
 * Browser suites use `describeWithChromium`, which skips them with a message when it is absent.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function describeWithChromium(suite: string, name: string, fn: () => void): void {
  if (!chromiumAvailable) console.warn(`${suite}: SKIPPED — ${CHROMIUM} is not installed (apt-get install -y chromium)`);
  (chromiumAvailable ? describe : describe.skip)(name, fn);
}

/** Playwright gives it a fresh, empty profile of its own; `extraArgs` e.g. `--host-resolver-rules=…`. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_ARGS, ...extraArgs] });
}

/** Where browser tests leave their screenshots (gitignored). */
export function artifactPath(file: string): string {
  const dir = join(ROOT, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, file);
}
