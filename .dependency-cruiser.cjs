/** Layering and cycle rules, checked in CI (`npm run deps:validate`). */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make module graphs fragile (and tempt forwardRef).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-framework-free',
      severity: 'error',
      comment: 'libs/domain imports only itself and Node built-ins that do no I/O.',
      from: { path: '^libs/domain/' },
      to: {
        pathNot: ['^libs/domain/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'domain-no-io-builtins',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { dependencyTypes: ['core'], path: '^(http|https|net|fs|child_process|dgram|tls)$' },
    },
    {
      name: 'libs-not-to-apps',
      severity: 'error',
      comment: 'Libraries never depend on applications.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'adapters-not-to-wiring',
      severity: 'error',
      comment: 'Adapter libs (kommo, voip, persistence) never import the wiring lib (application).',
      from: { path: '^libs/(kommo|voip|persistence)/' },
      to: { path: '^libs/application/' },
    },
    {
      name: 'sandbox-is-independent',
      severity: 'error',
      comment: 'The Kommo sandbox stands in for Kommo: it must not reuse our integration code.',
      from: { path: '^apps/kommo-sandbox/' },
      to: { path: '^(libs|apps/(api|worker|cli))/' },
    },
    {
      name: 'processors-only-in-worker',
      severity: 'error',
      comment: 'A Bull processor imported by the api would consume jobs there.',
      from: { path: '^apps/(api|cli)/' },
      to: { path: '^apps/worker/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$|\\.e2e-spec\\.ts$|\\.int-spec\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
