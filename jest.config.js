// ESM throughout: the @actions/* packages are ESM-only, so ts-jest runs in ESM mode and
// jest itself runs under --experimental-vm-modules (see the "test" script).
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  clearMocks: true,
  // Removes the file's scratch folders (sim/scratch.ts) when it is done.
  setupFilesAfterEnv: ['<rootDir>/__tests__/helpers/remove-scratch.ts']
}

export default {
  // Each end-to-end run of the bundle takes a second at least (the status is read at most once a second), and some
  // tests run it several times, or wait for a time limit on purpose. A global option: jest ignores it in a project.
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/e2e/']
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      // Jest runs a project's global setup only when at least one of its tests is selected.
      globalSetup: '<rootDir>/__tests__/e2e/global-setup.ts'
    }
  ]
}
