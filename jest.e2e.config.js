// Integration and e2e tests: real PostgreSQL and Redis, apps over real HTTP.
module.exports = {
  ...require('./jest.preset'),
  roots: ['<rootDir>/test', '<rootDir>/libs', '<rootDir>/apps'],
  testRegex: '.*\\.(e2e|int)-spec\\.ts$',
  setupFiles: ['<rootDir>/test/setup/test-env.js'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  testTimeout: 30000,
  maxWorkers: 1,
};
