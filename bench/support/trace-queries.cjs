// Diagnostic preload (node --require): appends every SQL statement the process sends through `pg`
// to $TRACE_QUERIES_FILE, one line each, so the statements behind one request can be counted.
const { appendFileSync } = require('node:fs');
const path = require('node:path');
const file = process.env.TRACE_QUERIES_FILE;
const pg = require(require.resolve('pg', { paths: [path.join(__dirname, '..', '..')] }));
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function query(config, ...rest) {
  const text = typeof config === 'string' ? config : config?.text;
  if (file && text) appendFileSync(file, `${Date.now()} ${text.replace(/\s+/g, ' ').slice(0, 300)}\n`);
  return original.call(this, config, ...rest);
};
