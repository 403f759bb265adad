/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';

// The npm packages whose code is in the bundle (their node_modules folders, relative to the
// workspace), for the third-party licenses the app ships (scripts/licenses.mjs reads the list).
function bundledPackages(): Plugin {
  return {
    name: 'bundled-packages',
    apply: 'build',
    generateBundle(_options, bundle) {
      const folders = new Set<string>();
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const id of chunk.moduleIds) {
          const path = id.replaceAll('\\', '/');
          const first = path.indexOf('/node_modules/');
          if (first < 0) continue;
          const last = path.lastIndexOf('/node_modules/') + '/node_modules/'.length;
          const parts = path.slice(last).split('/');
          const name = parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
          folders.add(path.slice(first + 1, last) + name);
        }
      }
      this.emitFile({
        type: 'asset',
        fileName: '.vite/bundled-packages.json',
        source: JSON.stringify([...folders].sort(), null, 1),
      });
    },
  };
}

// Tauri loads the built files from disk (base './') and the dev server from a fixed port.
export default defineConfig({
  plugins: [svelte(), bundledPackages()],
  base: './',
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ['**/src-tauri/**', '**/target/**'] },
  },
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['safari16', 'es2022'],
    sourcemap: false,
  },
  // Svelte's client runtime in tests (not the server build).
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
  },
});
