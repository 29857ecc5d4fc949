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
              // Any of our runtime code outside the renderer, except the contract's barcode
              // check: plain code with no imports, shared so both sides check alike.
              regex:
                '^(\\.\\./)+(core|hardware|electron|terminal/(?!contract/patron-barcode\\.ts$))',
              allowTypeImports: true,
              message: 'The renderer sees the terminal contract only, and only its types.',
            },
          ],
        },
      ],
    },
  },
  // electron/: every file is named for the process it runs in (*.main.ts, *.preload.ts, or
  // *.std.ts for code that runs anywhere) and imports only what that process has.
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/**/*.main.ts', 'electron/**/*.preload.ts', 'electron/**/*.std.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program',
          message:
            'Name files in electron/ for their runtime: *.main.ts, *.preload.ts or *.std.ts.',
        },
      ],
    },
  },
  {
    files: ['electron/**/*.std.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...NODE_BUILTINS, 'electron'].map((name) => ({
            name,
            message: '*.std.ts runs in every process, the sandboxed preload included.',
          })),
          patterns: [
            { group: ['node:*', 'electron/*'], message: '*.std.ts runs in every process.' },
            {
              group: ['**/*.main.ts', '**/*.preload.ts'],
              message: '*.std.ts cannot depend on one process’s code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.preload.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              allowImportNames: ['contextBridge', 'ipcRenderer'],
              message: 'The preload uses contextBridge and ipcRenderer, nothing else.',
            },
            ...NODE_BUILTINS.map((name) => ({
              name,
              message: 'A sandboxed preload has no Node modules.',
            })),
          ],
          patterns: [
            { group: ['node:*'], message: 'A sandboxed preload has no Node modules.' },
            { group: ['**/*.main.ts'], message: 'The preload cannot load main-process code.' },
            {
              group: ['../**'],
              allowTypeImports: true,
              message: 'The preload takes only types from outside electron/ (the contract).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.main.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/*.preload.ts'], message: 'Main cannot load preload code.' }],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
