// Fault suite (npm run test:faults): the built product as real processes on its own Redis and PostgreSQL.
module.exports = {
  ...require('./jest.preset'),
  roots: ['<rootDir>/test/faults'],
  testRegex: '.*\\.fault-spec\\.ts$',
  testTimeout: 180000,
  maxWorkers: 1,
};
