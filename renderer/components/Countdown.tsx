import { useT } from '../i18n/i18n.tsx';
import { formatDuration, secondsUntil } from '../time.ts';
import { useNow } from './hooks.ts';

/** Time left until a payment request expires, ticking every second. */
export function Countdown({ expiresAt }: { expiresAt: string }) {
  const t = useT();
  const now = useNow(250);
  const seconds = secondsUntil(expiresAt, now) ?? 0;
  return (
    <p className={`countdown${seconds <= 30 ? ' countdown-low' : ''}`}>
      <span className="countdown-label">{seconds > 0 ? t.qr.expiresIn : t.qr.expired}</span>{' '}
      <span role="timer" data-testid="countdown" data-seconds={seconds}>
        {formatDuration(seconds)}
      </span>
    </p>
  );
}
