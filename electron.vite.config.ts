import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: { outDir: 'out/main', rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/index.ts') } } },
  },
  preload: {
    // A sandboxed preload cannot require node_modules: bundle everything into one CommonJS file.
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react()],
    resolve: {
      alias: [
        // monaco-yaml's worker (through monaco-worker-manager) imports Monaco by its pre-0.55 path, `monaco-editor/esm/vs/…`;
        // Monaco's package exports now map `monaco-editor/*` onto esm/vs/ themselves, so that path no longer resolves.
        { find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: 'monaco-editor/$1' },
      ],
    },
    build: { outDir: resolve(import.meta.dirname, 'out/renderer'), rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') } },
  },
});
