/**
 * Layer rules of the codebase, checked by `npm test` (`depcruise --config .dependency-cruiser.cjs
 * packages server workflows web/src bench/src test`). Workspace packages resolve through their
 * `exports`, so an import of `@hourglass/db` lands on packages/db/src.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles (type-only ones too) make load order fragile and layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'packages-not-apps',
      severity: 'error',
      comment: 'packages/* are libraries: they never import the server, the web app or the workflows.',
      from: { path: '^packages/' },
      to: { path: '^(server|web|workflows)/' },
    },
    {
      name: 'web-not-backend',
      severity: 'error',
      comment: 'The browser bundle never imports the database, the channels (Node) or the workflows.',
      from: { path: '^web/' },
      to: { path: '^(packages/(db|channels|outbound|devstack)|workflows)/' },
    },
    {
      name: 'server-only-workflow-client',
      severity: 'error',
      comment:
        'The API starts and signals runs through the client entry of workflows alone (no worker, no activities).',
      from: { path: '^server/' },
      to: {
        path: '^workflows/',
        pathNot:
          '^workflows/src/client(\\.ts$|/)|^workflows/src/contract\\.ts$|^workflows/src/config\\.ts$|^workflows/src/workflows/',
      },
    },
    {
      name: 'workflows-no-node-folders',
      severity: 'error',
      comment:
        'The engine never reaches into a node type: actions come through the registry (@hourglass/nodes), so adding one needs no edit in workflows/.',
      from: { path: '^workflows/' },
      to: { path: '^packages/nodes/src/[^/]+/' },
    },
    {
      name: 'pure-journey',
      severity: 'error',
      comment: 'The journey model is pure: no I/O, no Node APIs, no other package of ours.',
      from: { path: '^packages/journey/', pathNot: '\\.test\\.ts$' },
      to: {
        path: '^packages/(?!journey/)|^node:|^(fs|path|http|https|net|crypto|child_process)$',
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
