// ESLint flat config. Formatting is Prettier's job (`npm run format:check`); eslint-config-prettier switches
// off the stylistic rules that would fight it. TypeScript files are linted with type information (the
// project is small, so the type-aware rules cost a few seconds and catch unhandled promises and the like).
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import prettier from 'eslint-config-prettier'
import jest from 'eslint-plugin-jest'
import regexp from 'eslint-plugin-regexp'
import tseslint from 'typescript-eslint'

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.ci/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A new run status or result must not fall through a switch unnoticed; a `default:` counts as handling it.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `return promise` inside try/catch skips the catch; `return await` keeps the error in the handler.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      eqeqeq: ['error', 'always'],
      'no-console': 'error'
    }
  },
  {
    // The action's patterns run on server text (reports, error bodies, answers): none may backtrack super-linearly.
    // eslint-plugin-regexp's analysis (scslre) finds the quantifiers that can trade characters or move
    // quadratically; "potential" also reports what only a rejecting suffix would expose.
    files: ['src/**/*.ts'],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential', ignoreSticky: false, ignorePartial: false }]
    }
  },
  {
    // Scripts, the simulator and tests talk to a person or a test log on purpose.
    files: ['scripts/**', 'sim/**', 'bench/**', '__tests__/**'],
    rules: { 'no-console': 'off' }
  },
  {
    files: ['__tests__/**'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      // expect(mock.method) is how jest asserts on mocks; the rule's jest-aware variant below replaces it.
      '@typescript-eslint/unbound-method': 'off',
      'jest/unbound-method': 'error',
      // Test fakes of async functions are async without awaiting, so that a throw rejects as the real one does.
      '@typescript-eslint/require-await': 'off'
    }
  },
  {
    // Plain JavaScript config files are outside tsconfig.json, so they get no type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked
  },
  {
    // CommonJS config files (dependency-cruiser reads only CommonJS or its own JSON).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } }
  },
  prettier
)
