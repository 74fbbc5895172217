// The module-boundary rules of ARCHITECTURE.md for dependency-cruiser, parameterised by the
// source root so the same rules also run over the bad samples in test/fixtures/boundaries/.
function boundaryRules(root = 'src') {
  const r = root.replace(/[.*+?^${}()|[\]\\/]/g, (c) => (c === '/' ? '/' : `\\${c}`));
  // A package, resolved (`node_modules/<pkg>` — also `../elsewhere/node_modules/<pkg>` when node_modules
  // is a symlink, as in a git worktree) or unresolved (`<pkg>`).
  const pkg = (names) => `(^|/)node_modules/${names}|^${names}`;
  const frameworks = pkg('(@nestjs/|typeorm|@nestjs-cls/|bullmq|pg|ioredis|fastify|@fastify/)');
  return [
    {
      name: 'context-only-through-index',
      comment: 'modules/A may import modules/B only through modules/B/index.ts (ports, integration types).',
      severity: 'error',
      from: { path: `^${r}/modules/([^/]+)/` },
      to: { path: `^${r}/modules/([^/]+)/`, pathNot: [`^${r}/modules/$1/`, `^${r}/modules/[^/]+/index\\.ts$`] },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ knows no framework, ORM, queue or I/O adapter, and no outer layer.',
      severity: 'error',
      from: { path: `^${r}/modules/[^/]+/domain/` },
      to: {
        path: [
          frameworks,
          `^${r}/modules/[^/]+/(infrastructure|api|application)/`,
          `^${r}/platform/`,
          pkg('class-(validator|transformer)'),
        ],
      },
    },
    {
      name: 'application-has-no-adapters',
      comment: 'application/ imports no infrastructure/, no api/, no typeorm (it talks to ports).',
      severity: 'error',
      from: { path: `^${r}/modules/[^/]+/application/` },
      to: { path: [`^${r}/modules/[^/]+/(infrastructure|api)/`, pkg('(typeorm|pg|bullmq|ioredis)(/|$)')] },
    },
    {
      name: 'platform-knows-no-module',
      comment: 'platform/ is cross-cutting infrastructure: it imports no bounded context.',
      severity: 'error',
      from: { path: `^${r}/platform/` },
      to: { path: [`^${r}/modules/`, `^${r}/app\\.module\\.ts$`, `^${r}/bootstrap\\.ts$`] },
    },
    {
      name: 'kernel-stands-alone',
      comment: 'kernel/ is the tiny shared vocabulary: it imports nothing of ours but itself.',
      severity: 'error',
      from: { path: `^${r}/kernel/` },
      to: { path: [`^${r}/(platform|modules)/`, frameworks] },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere.',
      severity: 'error',
      from: { path: `^${r}/` },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ];
}

module.exports = { boundaryRules };
