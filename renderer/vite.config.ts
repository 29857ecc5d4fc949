// Builds the kiosk UI into dist/renderer, which both hosts serve: Electron loads it from disk
// (hence relative asset paths) and the browser host serves it over HTTP.
//   npx vite build --config renderer/vite.config.ts
//   npx vite --config renderer/vite.config.ts        (dev; KIOSK_HOST=http://127.0.0.1:3000)
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

/**
 * The dev server injects inline scripts and styles (React refresh, CSS hot reload) that the
 * production CSP forbids, so only `vite serve` gets a relaxed policy. Built pages keep the
 * strict one from index.html.
 */
function devCsp(): Plugin {
  return {
    name: 'kiosk-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(
        /(http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/,
        `$1default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws:; img-src 'self' data:$2`,
      );
    },
  };
}

/**
 * Vite marks its tags `crossorigin`; Electron loads the build from disk, where a CORS-mode
 * fetch of a file: URL can be refused. Same-origin assets need no such attribute.
 */
function sameOriginTags(): Plugin {
  return {
    name: 'kiosk-same-origin-tags',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html) => html.replace(/ crossorigin(?=[\s>])/g, ''),
    },
  };
}

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  plugins: [react(), devCsp(), sameOriginTags()],
  build: {
    outDir,
    emptyOutDir: true,
    // One kiosk, one modern Chromium: no legacy syntax, no source maps shipped to the kiosk.
    target: 'chrome120',
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    // In development the page comes from Vite, so the bridge socket is forwarded to a running
    // browser host. Open the page with the host's `#token=...` fragment.
    proxy: {
      '/kiosk': { target: process.env.KIOSK_HOST ?? 'http://127.0.0.1:3000', ws: true },
    },
  },
});
