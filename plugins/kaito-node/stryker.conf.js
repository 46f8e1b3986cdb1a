// StrykerJS for this package: `yarn mutation kaito-node [--mutate <file>]` at the
// repository root (see scripts/mutation.js). Not run in CI. On a shared
// machine, mutate one file at a time; concurrency stays at 1.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
module.exports = {
  packageManager: 'yarn',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // Backstage's own Jest configuration for a package (async).
    configFile: 'stryker.jest.config.js',
    enableFindRelatedTests: false,
  },
  // The workspace cache, by concern (the reflector has its own behaviour tests).
  mutate: [
    'src/watch/ClusterWorkspaceCache.ts',
    'src/watch/stores.ts',
    'src/watch/refs.ts',
    'src/watch/deriveSnapshot.ts',
    'src/watch/detectWorkspaceVersion.ts',
    'src/watch/startReflectors.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 60_000,
  timeoutFactor: 3,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  ignorePatterns: ['dist', 'reports', 'node_modules'],
};
