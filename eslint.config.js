// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Engines stay pure: file systems, sockets and database clients come in through interfaces (STYLE.md). */
const ENGINE_DIRS = [
  'core',
  'data',
  'models',
  'supply',
  'registry',
  'prompts',
  'redteam',
  'monitor',
  'audit',
  'scan',
  'lineage',
  'vectors',
];
const EDGE_ONLY_MODULES = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'better-sqlite3',
  'pg',
  'kysely',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bin/**', 'examples/**', 'vitest.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a const array (STYLE.md).' },
      ],
    },
  },
  {
    files: ENGINE_DIRS.map((d) => `src/${d}/**/*.ts`),
    ignores: ['src/**/*.test.ts', 'src/**/*.test-support.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: EDGE_ONLY_MODULES.map((name) => ({
            name,
            message:
              'Engines are pure: take this through an interface implemented in cli/, server/ or store/.',
          })),
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
