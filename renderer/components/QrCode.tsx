import { QRCodeSVG } from 'qrcode.react';

/** A large QR code of `url` for a wallet to scan (a payment request's pay page, a static URL). */
export function QrCode({ url, testId, title }: { url: string; testId: string; title: string }) {
  return (
    <div className="qr-frame">
      {/* The SVG form needs no inline styles (the CSP forbids them) and scales crisply;
          a 4-module quiet zone keeps it readable by any wallet. */}
      <QRCodeSVG
        className="qr"
        data-testid={testId}
        value={url}
        size={512}
        level="M"
        marginSize={4}
        title={title}
      />
    </div>
  );
}
