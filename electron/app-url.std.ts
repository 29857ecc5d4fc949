// Where the renderer lives. It is served from a privileged custom scheme rather than file://
// because a file:// page may read any local file, has no real origin to check IPC senders or
// navigations against, and cannot be given a CSP header (electron/electron#14768, #23485).

export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
/** The page the kiosk window loads. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True only for URLs of the kiosk's own renderer. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // A non-special scheme has an opaque `origin` ("null") in WHATWG URL, so compare its parts.
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * The renderer talks only through the preload bridge, so it needs no network at all: everything
 * comes from its own origin, except images drawn into data:/blob: URLs (QR codes on a canvas).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
