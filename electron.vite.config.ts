// Builds the Electron main process and preload into dist/electron. The renderer is built by
// renderer/vite.config.ts into dist/renderer, which main serves on app://kiosk/.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

/** Where main and preload go; tests/electron/builder-config.test.ts builds into a temp dir. */
const outDir = process.env['KIOSK_ELECTRON_OUT_DIR'] ?? 'dist/electron';

/** Native modules: loaded from node_modules at run time, rebuilt for Electron by electron-builder. */
const nativeModules = ['better-sqlite3', 'serialport', '@serialport/bindings-cpp', 'node-hid'];

export default defineConfig({
  main: {
    build: {
      outDir: `${outDir}/main`,
      emptyOutDir: true,
      sourcemap: true,
      // `dependencies` of package.json stay external (electron-builder packs them); the native
      // modules are named as well in case one arrives only through another package.
      externalizeDeps: { include: nativeModules },
      rolldownOptions: {
        input: { index: resolve('electron/main.main.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: `${outDir}/preload`,
      emptyOutDir: true,
      // A sandboxed preload cannot load modules other than `electron`: bundle everything, as
      // CommonJS (sandboxed preloads are not run as ES modules).
      externalizeDeps: false,
      rolldownOptions: {
        input: { preload: resolve('electron/preload.preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
});
