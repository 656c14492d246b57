// Lint rules: typescript-eslint's recommended set, plus the layering of STYLE.md §2 — pure folders
// may not import node built-ins, sockets, or the I/O parts of kalshi/, and nothing imports cli/ —
// and the determinism rule: outside cli/, tests and benches no wall clock, Math.random or process.env.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_AND_IO = [
  { group: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'os', 'child_process', 'worker_threads'], message: 'pure module: no Node I/O (STYLE.md §2)' },
  { group: ['ws', 'fastify', 'better-sqlite3', 'pino', 'dotenv'], message: 'pure module: no I/O libraries (STYLE.md §2)' },
  { group: ['**/kalshi/rest/*', '**/kalshi/ws/*', '**/kalshi/client*', '**/kalshi/sign*'], message: 'pure module: only kalshi/wire may be imported' },
  { group: ['**/cli/*', '**/cli/**'], message: 'nothing imports cli/' },
];
const NO_CLI = [{ group: ['**/cli/*', '**/cli/**'], message: 'nothing imports cli/ (STYLE.md §2)' }];

const DETERMINISM = [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'inject a Clock instead of Date.now() (STYLE.md §3)' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'inject a Clock instead of new Date() (STYLE.md §3)' },
  { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'inject an Rng instead of Math.random() (STYLE.md §3)' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.kalshi-mm/**', 'coverage/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/marketdata/**/*.ts', 'src/strategy/**/*.ts', 'src/risk/**/*.ts', 'src/orders/**/*.ts', 'src/bot/**/*.ts', 'src/exchange/matching/**/*.ts', 'src/kalshi/wire/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: NODE_AND_IO }],
      'no-restricted-syntax': ['error', ...DETERMINISM],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process', 'console'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', '**/*.test.ts', 'src/core/**', 'src/marketdata/**', 'src/strategy/**', 'src/risk/**', 'src/orders/**', 'src/bot/**', 'src/exchange/matching/**', 'src/kalshi/wire/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: NO_CLI }] },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
