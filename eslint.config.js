// Lint enforces the layer directions of ../shared/design/STYLE.md:
//   renderer → shared · preload → shared + electron · main/ipc → main/core + shared
//   main/core → shared + node + libraries (never electron) · shared → nothing but zod.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'util', 'events', 'url', 'worker_threads', 'tty', 'dgram', 'dns', 'zlib', 'readline', 'process', 'buffer', 'module', 'vm', 'cluster'];

const forbid = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['scripts/**/*.{js,mjs}', 'bin/**/*.{js,cjs}', 'test/**/*.{js,mjs}', 'build/**/*.{js,mjs}', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The installed command is CommonJS so Node starts it without its ESM loader.
    files: ['bin/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'named exports only: no export *' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: forbid([...nodeBuiltins, 'electron', 'electron/*', '**/main/**', '**/preload/**', 'better-sqlite3', 'execa', 'ws'],
      'the renderer imports only the project\'s shared/ and browser libraries (never Node, Electron, main or preload)'),
  },
  {
    files: ['preload/**/*.ts'],
    rules: forbid([...nodeBuiltins, '**/main/**', '**/renderer/**', 'better-sqlite3', 'execa', 'ws'],
      'the preload imports only shared/ and electron'),
  },
  {
    files: ['shared/**/*.ts'],
    rules: forbid([...nodeBuiltins, 'electron', 'electron/*', '**/main/**', '**/renderer/**', '**/preload/**', 'react', 'react-dom', 'better-sqlite3', 'execa', 'ws'],
      'shared/ depends on nothing but zod'),
  },
  {
    files: ['main/core/**/*.ts'],
    rules: forbid(['electron', 'electron/*', '**/main/ipc/**', '**/ipc/**', '**/server/**', '**/cli/**', '**/electron/**', '**/renderer/**', '**/preload/**', 'react', 'react-dom'],
      'main/core is the libpod port: it never imports electron, the IPC layer, the CLI, the web host or the UI'),
  },
  {
    files: ['main/ipc/**/*.ts'],
    rules: forbid(['electron', 'electron/*', '**/server/**', '**/cli/**', '**/electron/**', '**/renderer/**', '**/preload/**'],
      'main/ipc depends on main/core and shared only (the Electron wiring lives in main/electron)'),
  },
  {
    files: ['main/cli/**/*.ts', 'main/server/**/*.ts'],
    rules: forbid(['electron', 'electron/*', '**/renderer/**', '**/preload/**', 'react', 'react-dom'],
      'the CLI and the web host never load Electron or the renderer'),
  },
);
