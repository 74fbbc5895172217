// Benchmark baseline only: loaded with `node --require` before main.js, it keeps the HTTP metrics
// hook from being installed, so "off" measures the server without per-request metric updates.
const { join } = require('node:path');
const { HttpMetrics } = require(
  join(process.env.BENCH_BUILD || join(__dirname, '..', '..', 'dist'), 'src', 'platform', 'metrics', 'http-metrics'),
);
HttpMetrics.prototype.onModuleInit = function onModuleInit() {};
