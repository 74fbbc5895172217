// Proves every boundary rule in .dependency-cruiser.js can fail: cruises the deliberately bad
// samples under test/fixtures/boundaries/ and expects each rule to report at least one violation,
// and each rule about a context's layers (from `modules/<ctx>/…`) to fire inside every fixture
// context that has layers (domain/, application/ or api/) — notifications included — so a rule
// whose path stops matching one context's folders fails here instead of passing silently.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.js');
const { boundaryRules } = require('./boundary-rules.js');
const root = 'test/fixtures/boundaries/src';
const rules = boundaryRules(root);
const result = await cruise([root], { ...config.options, exclude: undefined, ruleSet: { forbidden: rules }, validate: true });
const violations = result.output.summary.violations;
const violated = new Set(violations.map((v) => v.rule.name));
const problems = rules
  .map((r) => r.name)
  .filter((name) => !violated.has(name))
  .map((name) => `${name} (nowhere)`);

const modulesDir = `${root}/modules`;
const contexts = readdirSync(modulesDir).filter((ctx) =>
  ['domain', 'application', 'api'].some((layer) => existsSync(`${modulesDir}/${ctx}/${layer}`)),
);
const contextRules = rules.filter((r) => typeof r.from.path === 'string' && r.from.path.startsWith(`^${root}/modules/`)).map((r) => r.name);
for (const ctx of contexts) {
  const fired = new Set(violations.filter((v) => v.from.startsWith(`${modulesDir}/${ctx}/`)).map((v) => v.rule.name));
  for (const name of contextRules) if (!fired.has(name)) problems.push(`${name} (in context ${ctx})`);
}
if (!contexts.includes('notifications')) problems.push('no fixture context "notifications"');

if (problems.length) {
  console.error(`boundary rules that did not fire on their bad sample: ${problems.join(', ')}`);
  process.exit(1);
}
console.log(
  `boundary fixtures: all ${rules.length} rules fire on their bad samples; ${contextRules.join(', ')} fire in each of ${contexts.join(', ')}`,
);
