// Timestamps taken inside the kiosk page. Playwright's own waits poll with growing intervals
// (tens of milliseconds and more), far coarser than the screen changes being timed, so the page
// itself notes when an element reaches the screen and when a button was clicked. It runs as an
// init script, before the kiosk's own code, and changes nothing the kiosk sees.
//
// Times are epoch milliseconds (performance.timeOrigin + a high-resolution clock) so they can
// be set beside times taken in this process; see ClockOffset in kiosk-page.ts.

/** What the probe puts on the page's globalThis, as the benchmark's page.evaluate calls see it. */
export interface PageProbe {
  now(): number;
  /** When the last click on the element with this data-testid was dispatched. */
  clickedAt(testId: string): number | undefined;
  /** Starts waiting for the element to be on screen; `shownAt` then gives the time. */
  arm(testId: string): void;
  shownAt(testId: string): Promise<number>;
}

export interface ProbeGlobal {
  __kioskBench: PageProbe;
}

/**
 * "On screen" means: in the DOM, then a frame has been rendered with it (a rendering
 * opportunity via requestAnimationFrame, then a task after it, which runs once the frame has
 * been painted), and it has a layout box then. Layout is read only after the frame, when it is
 * already computed, so the probe does not force an early layout that would skew the time.
 *
 * The kiosk page's CSP does not apply to init scripts, which Playwright injects itself.
 */
export const PROBE_SCRIPT = `(() => {
  const epochNow = () => performance.timeOrigin + performance.now();
  const clicks = new Map();
  const armed = new Map();
  // The capture phase runs before React's own listener on the root.
  addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-testid]') : null;
    if (target) clicks.set(target.getAttribute('data-testid'), performance.timeOrigin + event.timeStamp);
  }, true);

  const afterNextFrame = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(epochNow());
        channel.port2.postMessage(null);
      }),
    );

  const whenShown = (testId) =>
    new Promise((resolve) => {
      const selector = '[data-testid="' + testId + '"]';
      let waiting = false;
      const check = () => {
        if (waiting || document.querySelector(selector) === null) return;
        waiting = true;
        observer.disconnect();
        afterNextFrame().then((time) => {
          const element = document.querySelector(selector);
          if (element !== null && element.getClientRects().length > 0) return resolve(time);
          waiting = false;
          observer.observe(document, { childList: true, subtree: true });
          check();
        });
      };
      const observer = new MutationObserver(check);
      observer.observe(document, { childList: true, subtree: true });
      check();
    });

  globalThis.__kioskBench = {
    now: epochNow,
    clickedAt: (testId) => clicks.get(testId),
    arm: (testId) => void armed.set(testId, whenShown(testId)),
    shownAt: (testId) => armed.get(testId) ?? Promise.reject(new Error(testId + ' was not armed')),
  };
  // The first screen is timed from the very start of the page.
  globalThis.__kioskBench.arm('screen-idle');
})();`;
