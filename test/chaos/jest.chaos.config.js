// `npm run test:chaos`: the long chaos runs (test/chaos/*.chaos-spec.ts) with the e2e project's
// settings (global setup: embedded PostgreSQL unless DATABASE_URL is set).
const path = require('node:path');
const base = require('../../jest.config.js');
const e2e = base.projects.find((p) => p.displayName === 'e2e');

module.exports = {
  rootDir: path.join(__dirname, '..', '..'),
  testTimeout: 60 * 60 * 1000,
  reporters: base.reporters,
  projects: [{ ...e2e, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/*.chaos-spec.ts'] }],
};
