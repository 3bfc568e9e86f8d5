// ESM throughout: the @actions/* packages are ESM-only, so ts-jest runs in ESM mode and
// jest itself runs under --experimental-vm-modules (see the "test" script).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  clearMocks: true
}
