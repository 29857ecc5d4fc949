// app://kiosk/ serves the built renderer and nothing else, with the CSP on every answer.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, resolveAppFile } from '../../electron/app-protocol.main.ts';
import { CONTENT_SECURITY_POLICY, isAppUrl } from '../../electron/app-url.std.ts';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'kiosk-app-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Kiosk</title>');
  await writeFile(join(root, 'assets', 'index-abc.js'), 'export {};');
  await writeFile(join(base, 'secret.txt'), 'not for the renderer');
});
afterAll(() => rm(base, { recursive: true, force: true }));

/** Stands in for Electron's net.fetch of a file: URL. */
async function fetchFile(fileUrl: string): Promise<Response> {
  try {
    return new Response(await readFile(fileURLToPath(fileUrl)));
  } catch {
    return new Response(null, { status: 404 });
  }
}

function handler() {
  return createAppProtocolHandler({ rootDir: root, fetchFile, logger: pino({ level: 'silent' }) });
}

describe('app:// URLs', () => {
  it('are the app only on its own host', () => {
    expect(isAppUrl('app://kiosk/index.html')).toBe(true);
    expect(isAppUrl('app://kiosk/')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('app://user:pw@kiosk/index.html')).toBe(false);
    expect(isAppUrl('https://kiosk/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });

  it('resolve inside the renderer folder only', () => {
    expect(resolveAppFile(root, 'app://kiosk/')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://kiosk/assets/index-abc.js')).toBe(
      join(root, 'assets', 'index-abc.js'),
    );
    // The URL parser folds %2e%2e into `..` and drops it at the root: still inside.
    expect(resolveAppFile(root, 'app://kiosk/%2e%2e/secret.txt')).toBe(join(root, 'secret.txt'));
    // Encoded slashes survive parsing and are decoded afterwards: caught here.
    expect(resolveAppFile(root, 'app://kiosk/assets/%2e%2e%2f%2e%2e%2fsecret.txt')).toBeNull();
    expect(resolveAppFile(root, 'app://kiosk/index.html%00.js')).toBeNull();
    expect(resolveAppFile(root, 'app://kiosk/%E0%A4%A')).toBeNull();
    expect(resolveAppFile(root, 'app://evil/index.html')).toBeNull();
  });
});

describe('the app protocol handler', () => {
  it('serves index.html with the CSP and its type', async () => {
    const response = await handler()(new Request('app://kiosk/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Kiosk</title>');
  });

  it('serves module scripts as JavaScript', async () => {
    const response = await handler()(new Request('app://kiosk/assets/index-abc.js'));
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404, with the CSP, for what is missing or outside', async () => {
    for (const url of ['app://kiosk/missing.js', 'app://kiosk/a/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const response = await handler()(new Request(url));
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await response.text()).not.toContain('not for the renderer');
    }
  });

  it('refuses anything but GET and HEAD', async () => {
    const post = await handler()(
      new Request('app://kiosk/index.html', { method: 'POST', body: 'x' }),
    );
    expect(post.status).toBe(405);
    const head = await handler()(new Request('app://kiosk/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
