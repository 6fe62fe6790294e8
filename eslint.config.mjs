// ESLint (flat config): the recommended JavaScript and TypeScript rules, and the layering rules
// that keep dependencies pointing one way (README.md#architecture). `npm test` runs it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_TESTS = {
  group: ['**/tests/**', '**/bench/**'],
  message: 'Production code never imports tests or benchmarks.',
};

/**
 * Forbids imports matching each group's patterns in `files`. ESLint applies the last config that
 * sets a rule, so every layer repeats the production-wide group.
 */
function layer(files, ...groups) {
  return { files, rules: { 'no-restricted-imports': ['error', { patterns: [...groups, NO_TESTS] }] } };
}
export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'web/dist/**',
      'web-artifacts/**',
      'node_modules/**',
      'coverage/**',
      'data/**',
      'facades/crowd/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a value taken apart on purpose (rest siblings, tuple positions).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // XML 1.0 and Crowd names forbid control characters, so codecs and their tests match them on purpose.
      'no-control-regex': 'off',
    },
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
  },
  layer(['src/**', 'resolvers/**', 'facades/**']),
  layer(['facades/**'], {
    group: ['**/store', '**/store/**', 'better-sqlite3', 'pg'],
    message: 'The facade never touches the store: it runs GraphQL operations.',
  }),
  layer(
    ['src/providers/**'],
    {
      group: ['**/emulators', '**/emulators/**'],
      message: 'Connectors know vendors, not our fakes of them: the demo is wired in src/server/.',
    },
    {
      group: ['**/sync/**', '**/store/**', '**/server/**'],
      message: 'Connectors only produce provider records; the sync engine consumes them.',
    },
  ),
  layer(['src/sync/**'], {
    group: ['**/server', '**/server/**'],
    message: 'The sync engine does not know how it is served: shared types live in src/domain or src/logging.',
  }),
  layer(['src/admin/**'], {
    group: ['**/server', '**/server/**', '**/resolvers/**', '**/facades/**'],
    message: 'The administration services know the configuration and the store, not how they are served.',
  }),
  layer(['src/domain/**'], {
    group: ['../*', '../../**', 'better-sqlite3', 'koa', '@koa/*', 'graphql', 'type-graphql'],
    message: 'src/domain is plain types and rules, without I/O or other layers.',
  }),
  layer(['web/**'], {
    group: ['**/src/**', '**/resolvers/**', '**/facades/**', '**/schema/**', 'koa', 'better-sqlite3'],
    message: 'The console is a GraphQL client like any other: it imports no server code (ARCHITECTURE.md).',
  }),
  {
    files: ['web/**'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', localStorage: 'readonly', location: 'readonly' },
    },
  },
  layer(['src/store/**'], {
    group: ['**/resolvers/**', '**/facades/**', '**/server/**', '**/sync/**'],
    message: 'The store is the bottom layer.',
  }),
);
