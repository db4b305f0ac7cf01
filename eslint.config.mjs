// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import * as espree from 'espree';

const FRAMEWORKS = [
  { group: ['@nestjs/*', '@nestjs/**'], message: 'libs/domain is framework-free: no NestJS.' },
  { group: ['typeorm', 'typeorm/*', 'pg'], message: 'libs/domain is framework-free: no TypeORM/PostgreSQL.' },
  { group: ['bull', 'bullmq', 'ioredis'], message: 'libs/domain is framework-free: no Bull/Redis.' },
  {
    group: ['node:http', 'node:https', 'http', 'https', 'axios', 'undici', 'express', 'node-fetch'],
    message: 'libs/domain does no HTTP: put adapters in libs/kommo or libs/voip.',
  },
  { group: ['class-validator', 'class-transformer', 'passport*', 'twilio', 'libphonenumber-js'], message: 'libs/domain: validation and SDKs live at the edges.' },
  { group: ['@app/*'], message: 'libs/domain imports nothing from the other libs.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'widget/tools/**', '**/*.js', '!widget/src/**/*.js', '**/*.cjs', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@app/*/src', '@app/*/src/**', '**/libs/*/src/**'], message: 'Import libs only through their @app/<lib> entry.' }] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
        { selector: "CallExpression[callee.name='forwardRef']", message: 'forwardRef hides a module cycle: restructure instead.' },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: FRAMEWORKS }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'libs/domain never reads process.env: take values as arguments.' }],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'libs/domain does no HTTP.' }, { name: 'process', message: 'libs/domain does not touch the process.' }],
    },
  },
  {
    // The Kommo widget's sources: ES2018 modules bundled by widget/tools/build.js into one AMD script.js
    // (target es2018), so plain JavaScript with browser globals and no type info.
    files: ['widget/src/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parser: espree, // the TypeScript parser would accept syntax beyond the build's es2018 target
      ecmaVersion: 2018,
      sourceType: 'module',
      parserOptions: { projectService: false, program: null },
      globals: {
        window: 'readonly', document: 'readonly', navigator: 'readonly', EventSource: 'readonly', BroadcastChannel: 'readonly',
        URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly',
      },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-this-alias': 'off', // `var self = this` is Kommo's documented ES5 idiom
      'no-restricted-syntax': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.int-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': 'off',
    },
  },
);
