// Proves every boundary rule in .dependency-cruiser.js can fail: cruises the deliberately bad
// samples under test/fixtures/boundaries/ and expects each rule to report at least one violation.
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.js');
const { boundaryRules } = require('./boundary-rules.js');
const root = 'test/fixtures/boundaries/src';
const rules = boundaryRules(root);
const result = await cruise([root], { ...config.options, exclude: undefined, ruleSet: { forbidden: rules }, validate: true });
const violated = new Set(result.output.summary.violations.map((v) => v.rule.name));
const missing = rules.map((r) => r.name).filter((name) => !violated.has(name));
if (missing.length) {
  console.error(`boundary rules that did not fire on their bad sample: ${missing.join(', ')}`);
  process.exit(1);
}
console.log(`boundary fixtures: all ${rules.length} rules fire on their bad samples`);
