// ESLint flat config, kept out of the repository's top level (which is fixed).
// Run from the root: `npm run lint` (eslint --config test/eslint.config.js .).
// With --config, ESLint resolves `files`/`ignores` against the working
// directory; every object here carries an absolute `basePath` (the project
// root) instead, so the patterns mean the same wherever eslint is started.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const anyOf = (names) => names.map(escape).join('|');

// Workflow code is replayed and must be deterministic: at run time it may import
// only the Temporal workflow API (and @temporalio/common) and sibling workflow
// files; activities and other src/ code come in by type only (erased at build).
const nodeBuiltins = `^(?:node:.*|(?:${anyOf(builtinModules.filter((m) => !m.startsWith('node:')))})(?:/.*)?)$`;
const ioPackages = '^(?:@prisma/.*|prisma(?:/.*)?|pg(?:-.*)?(?:/.*)?|@aws-sdk/.*|sharp(?:/.*)?|pino(?:/.*)?|@whatwg-node/.*)$';
const srcModules = '^(?:\\.\\./)+src(?:/.*)?$';
const otherTemporal = '^@temporalio/(?!(?:workflow|common)$).*$';
// Everything else that is not a sibling (./x.js): other packages, ../ paths.
const anythingElse = `^(?!\\./|@temporalio/|${[nodeBuiltins, ioPackages, srcModules].map((r) => `(?:${r.slice(1, -1)})$`).join('|')}).*$`;
const why = 'Workflow code is replayed and must be deterministic';
const workflowImportRules = {
  'no-restricted-imports': 'off',
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [
        { regex: nodeBuiltins, message: `${why}: no Node built-ins in workflows/; do I/O in an activity.` },
        { regex: ioPackages, message: `${why}: no database, storage, image or logging packages in workflows/; do I/O in an activity.` },
        {
          regex: srcModules,
          allowTypeImports: true,
          message: `${why}: import src/ code by type only (\`import type\`); call it through proxyActivities.`,
        },
        {
          regex: otherTemporal,
          allowTypeImports: true,
          message: `${why}: only @temporalio/workflow and @temporalio/common run in the workflow sandbox.`,
        },
        {
          regex: anythingElse,
          allowTypeImports: true,
          message: `${why}: at run time workflows/ imports only @temporalio/workflow, @temporalio/common and sibling files (./x.js).`,
        },
      ],
    },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: 'ImportExpression', message: `${why}: no dynamic import() in workflows/.` },
    { selector: "CallExpression[callee.name='require']", message: `${why}: no require() in workflows/.` },
  ],
};

const configs = [
  globalIgnores([
    'node_modules/',
    '.data/',
    'src/generated/',
    'coverage/',
    'src/console/dist/',
    'src/console/app/graphql/graphql-env.d.ts',
  ]),
  ...tseslint.configs.recommended,
  {
    name: 'brand-auth/typed',
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection
      // ends the process) and its ordering; mark deliberate ones with `void`.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `_name` marks what a signature or a destructuring must name but the
      // code does not use (`const { secret: _secret, ...rest } = ...`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    name: 'brand-auth/javascript',
    files: ['**/*.{js,mjs,cjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    name: 'brand-auth/tests',
    files: ['test/**/*.ts'],
    rules: {
      // Tests read GraphQL answers as loosely typed JSON and assert on their shape.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    name: 'brand-auth/console-operations',
    files: ['src/console/app/**/*.{ts,tsx}'],
    ignores: ['src/console/app/**/*.operations.ts'],
    rules: {
      // The build lists the documents of *.operations.ts files as the only ones the API runs in production.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='graphql']",
          message: 'Write GraphQL documents in a *.operations.ts file: only those become trusted documents the API runs in production.',
        },
      ],
    },
  },
  {
    name: 'brand-auth/workflows',
    files: ['workflows/**/*.ts'],
    rules: workflowImportRules,
  },
];

export default configs.map((config) => ({ ...config, basePath: root }));
