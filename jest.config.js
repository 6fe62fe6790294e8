/** Jest runs the TypeScript sources directly (transpile only); `npm test` type-checks with tsc first. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }] },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/tests/helpers/postgres-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/postgres-teardown.ts',
};
