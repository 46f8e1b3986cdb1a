// StrykerJS for this package: `yarn mutation kaito-backend [--mutate <file>]` at the
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
  mutate: [
    // The relay, router and limits tests need the test backend and real
    // sockets; scripts/mutation/behaviour.js measures those modules too.
    'src/service/ChatRelay.ts',
    'src/service/chatExchange.ts',
    'src/service/sseRelay.ts',
    'src/service/jsonAnswer.ts',
    'src/service/limits.ts',
    'src/router.ts',
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
