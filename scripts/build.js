#!/usr/bin/env node
// Transpiles src/ and migrations/ to dist/ with swc (type checking is `npm run typecheck`).
// Fast enough (well under a second) to run before every `npm start`.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const swc = path.join(root, 'node_modules', '.bin', 'swc');
if (!fs.existsSync(swc)) {
  if (fs.existsSync(path.join(root, 'dist', 'src', 'main.js'))) process.exit(0); // production image: prebuilt
  console.error('build: @swc/cli is not installed; run `npm ci` first');
  process.exit(1);
}
// Start clean so a deleted source file (a migration above all) never lingers in dist/.
for (const dir of ['src', 'migrations']) fs.rmSync(path.join(root, 'dist', dir), { recursive: true, force: true });
execFileSync(swc, ['src', 'migrations', '-d', 'dist', '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'], {
  cwd: root,
  stdio: 'inherit',
});
