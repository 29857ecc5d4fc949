// Serves the built renderer on app://kiosk/ with the CSP header on every response. Only files
// under the renderer's directory are reachable; anything else is a 404.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, isAppUrl } from './app-url.std.ts';

/** Passed to `protocol.registerSchemesAsPrivileged` before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // standard: a real origin and relative URLs; secure: a secure context, like https;
  // supportFetchAPI and corsEnabled: module scripts and fetch() of the app's own assets (the
  // same privileges VS Code gives its vscode-file: scheme).
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
} as const;

export interface AppProtocolOptions {
  /** The built renderer (`dist/renderer`), holding `index.html`. */
  rootDir: string;
  /** Reads a file: URL; Electron's `net.fetch` in the app, which also reads inside the asar. */
  fetchFile: (fileUrl: string) => Promise<Response>;
  logger: Logger;
}

/** Module scripts refuse a wrong MIME type, so the type is set from the extension, not sniffed. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.wasm': 'application/wasm',
};

export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (request: Request) => Promise<Response> {
  const logger = options.logger.child({ module: 'electron.app-protocol' });
  const rootDir = path.resolve(options.rootDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return plainResponse(405, 'method not allowed');
    }
    const file = resolveAppFile(rootDir, request.url);
    if (file === null) {
      logger.warn({ url: request.url }, 'refused a request outside the renderer');
      return plainResponse(404, 'not found');
    }
    let response: Response;
    try {
      response = await options.fetchFile(pathToFileURL(file).href);
    } catch {
      return plainResponse(404, 'not found');
    }
    if (!response.ok) return plainResponse(404, 'not found');
    const headers = securityHeaders();
    headers.set(
      'Content-Type',
      contentTypes[path.extname(file).toLowerCase()] ??
        response.headers.get('Content-Type') ??
        'application/octet-stream',
    );
    return new Response(request.method === 'HEAD' ? null : response.body, { status: 200, headers });
  };
}

/** The file an app:// URL names, or null when it is not the app's or leaves the renderer's folder. */
export function resolveAppFile(rootDir: string, url: string): string | null {
  if (!isAppUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.slice(1);
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return file;
}

function securityHeaders(): Headers {
  return new Headers({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
}

function plainResponse(status: number, text: string): Response {
  const headers = securityHeaders();
  headers.set('Content-Type', 'text/plain; charset=utf-8');
  return new Response(text, { status, headers });
}
