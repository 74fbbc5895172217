// Module boundaries from ARCHITECTURE.md, enforced by `npm run lint` (depcruise).
// scripts/check-boundary-fixtures.mjs runs the same rules over deliberately bad samples in
// test/fixtures/boundaries/ to prove each rule can fail.
const { boundaryRules } = require('./scripts/boundary-rules');

module.exports = {
  forbidden: boundaryRules('src'),
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.spec\\.ts$|/testing/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
