import { useT } from '../i18n/i18n.tsx';
import { useKiosk } from '../store/context.tsx';
import { describeError } from './errors.ts';

/** Link trouble, payment-API trouble and the last failed command, above every screen. */
export function Banners() {
  const t = useT();
  const link = useKiosk((s) => s.link);
  const apiReachable = useKiosk((s) => s.kiosk?.apiReachable ?? true);
  const lastError = useKiosk((s) => s.lastError);
  const clearError = useKiosk((s) => s.clearError);
  return (
    <div className="banners">
      <div role="status" aria-live="polite">
        {link === 'reconnecting' && (
          <p className="banner banner-warn" data-testid="reconnecting-banner">
            {t.app.reconnecting}
          </p>
        )}
        {!apiReachable && (
          <p className="banner banner-warn" data-testid="api-unreachable">
            {t.app.apiUnreachable}
          </p>
        )}
      </div>
      <div role="alert">
        {lastError && (
          <div className="banner banner-error" data-testid="command-error">
            <p>{describeError(t, lastError)}</p>
            <button type="button" className="button-secondary" onClick={clearError}>
              {t.app.dismiss}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
