// Reads a QR code the way a phone would: from pixels on the screen.
import type { Locator } from '@playwright/test';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is a CommonJS bundle whose typings describe an ES default export.
const jsQR = jsQRModule.default;

export async function decodeQrFrom(element: Locator): Promise<string> {
  const png = PNG.sync.read(await element.screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (code === null) throw new Error('no QR code could be read from the screenshot');
  return code.data;
}
