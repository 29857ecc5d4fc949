import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// What a renderer file must never import: Node's built-ins (it runs sandboxed in a browser
// page), Electron, and any runtime code of ours outside the renderer (it sees the terminal
// contract's types only).
const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'));

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'docs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/vite.config.ts', 'renderer/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...NODE_BUILTINS, 'electron'].map((name) => ({
            name,
            message: 'The renderer runs in a sandboxed page: no Node or Electron modules.',
          })),
          patterns: [
            {
              group: ['node:*'],
              message: 'The renderer runs in a sandboxed page: no Node modules.',
            },
            {
              group: ['**/terminal/**', '**/core/**', '**/hardware/**', '**/electron/**'],
              allowTypeImports: true,
              message: 'The renderer sees the terminal contract only, and only its types.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
