import { useEffect } from 'react';
import { WedgeScanner } from '../wedge-scanner.ts';
import { useCommand } from './hooks.ts';

/**
 * Listens to the keyboard for keyboard-wedge scanners, on every screen: each read goes to the
 * kiosk as `scanner.wedgeRead`, which routes it as it would a serial scanner's, and its keys
 * never reach the page. Installed once, in the app's shell.
 */
export function useWedgeScanner(): void {
  const run = useCommand();
  useEffect(() => {
    const scanner = new WedgeScanner({
      onRead: (data) => void run('scanner.wedgeRead', { data }),
      onTyped: typeIntoFocusedField,
      startTimer: (callback, ms) => {
        const timer = window.setTimeout(callback, ms);
        return () => window.clearTimeout(timer);
      },
    });
    const onKeyDown = (event: KeyboardEvent) => {
      const verdict = scanner.keydown({
        key: event.key,
        // The time the key was pressed, not when this page got round to it: a busy page must not
        // stretch a scan's gaps into a person's.
        at: event.timeStamp,
        byHand: event.repeat || event.ctrlKey || event.altKey || event.metaKey,
      });
      if (verdict === 'swallow') event.preventDefault();
    };
    // Capture on window: before any field or form sees the key.
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      scanner.dispose();
    };
  }, [run]);
}

/**
 * Types held-back keys where they would have gone. insertText is deprecated but kept by every
 * browser because it is the one call that types as a keyboard does: at the caret, over the
 * selection, within maxlength, onto the undo stack, firing the input events React listens to.
 * With no text field focused it does nothing, as the keys would have done.
 */
function typeIntoFocusedField(text: string): void {
  document.execCommand('insertText', false, text);
}
