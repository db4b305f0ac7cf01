// Unit tests: no I/O, no services. Domain specs live next to the code.
module.exports = {
  ...require('./jest.preset'),
  roots: ['<rootDir>/apps', '<rootDir>/libs'],
  testRegex: '.*\\.spec\\.ts$',
};
