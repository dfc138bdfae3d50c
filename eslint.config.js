// Layer rules in the manner of VS Code: which folder under src/ may import which.
// A violation is a lint error, so the architecture cannot drift silently.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const node = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'tls', 'crypto', 'stream', 'url', 'util', 'worker_threads', 'ws'];
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.fleet/**', 'test-results/**', 'playwright-report/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: restrict([...node, 'electron', 'react', 'react-dom', '**/core/**', '**/main/**', '**/renderer/**', '**/server/**', '**/emulator/**'], 'shared/ is the contract: no Node, DOM, Electron or React, and no other layer.'),
  },
  {
    files: ['src/core/**'],
    rules: restrict(['electron', 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/server/**', '**/preload/**'], 'core/ is plain Node: no Electron, React or UI layers.'),
  },
  {
    files: ['src/main/**'],
    rules: restrict(['react', 'react-dom', '**/renderer/**', '**/server/**', '**/emulator/**'], 'main/ is the Electron shell: it wires core/ to IPC, nothing else.'),
  },
  {
    files: ['src/preload/**'],
    rules: restrict([...node, '**/core/**', '**/main/**', '**/renderer/**', '**/server/**', '**/emulator/**'], 'preload/ exposes only the contract.'),
  },
  {
    files: ['src/server/**'],
    rules: restrict(['electron', 'react', 'react-dom', '**/main/**', '**/renderer/**'], 'server/ is the browser host: plain Node.'),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict([...node, 'electron', '**/core/**', '**/main/**', '**/server/**', '**/emulator/**', '**/preload/**'], 'renderer/ talks to the rest only through renderer/src/api and the shared contract.'),
  },
  {
    files: ['src/renderer/**'],
    ignores: ['src/renderer/src/api/**'],
    rules: restrict([...node, 'electron', '**/core/**', '**/main/**', '**/server/**', '**/emulator/**', '**/preload/**', '**/shared/contract/rpc', '**/shared/contract/memory'], 'only renderer/src/api touches the transport; use getClient() from there.'),
  },
  {
    files: ['src/emulator/**'],
    rules: restrict(['electron', 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/server/**', '**/preload/**', '**/core/**'], 'emulator/ stands alone: it is the cluster, not a part of the console.'),
  },
  {
    files: ['src/emulator/cli.ts', 'src/server/cli.ts', 'scripts/**', 'bench/**', 'e2e/**'],
    rules: { 'no-console': 'off' },
  },
);
