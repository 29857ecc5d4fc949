import { useEffect, useRef, type ReactNode } from 'react';
import type { ScreenId } from '../store/screen.ts';

/**
 * The root of every screen: a test id (`screen-<id>`), and a heading that takes focus when the
 * screen appears, so a screen reader announces the new screen.
 */
export function Screen({
  id,
  heading,
  phase,
  children,
}: {
  id: ScreenId;
  heading: string;
  /** The sale or refund phase behind the screen, for tests and debugging. */
  phase?: string;
  children: ReactNode;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section
      className={`screen screen-${id}`}
      data-testid={`screen-${id}`}
      data-phase={phase}
      aria-labelledby={`heading-${id}`}
    >
      <h1 id={`heading-${id}`} ref={headingRef} tabIndex={-1}>
        {heading}
      </h1>
      {children}
    </section>
  );
}
