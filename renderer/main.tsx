import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { KioskApp } from './App.tsx';
import { bridgeForPairedToken, selectBridge, type BridgeChoice } from './bridge/select-bridge.ts';
import { readTimings, type Timings } from './config.ts';
import { en } from './i18n/en.ts';
import { PairingScreen } from './screens/PairingScreen.tsx';
import { createKioskStore } from './store/store.ts';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');

document.title = en.app.title;
// Chosen once, outside React: StrictMode would run a state initialiser twice and open two
// sockets.
const initial = selectBridge(window);
const store = createKioskStore();

/** The kiosk, or first the pairing screen of a thin client that has no token yet. */
function Root({ timings }: { timings: Timings }) {
  const [choice, setChoice] = useState<BridgeChoice>(initial);
  if (choice.kind === 'pairing') {
    return (
      <div className="app app-pairing">
        <main className="stage">
          <PairingScreen onPaired={(token) => setChoice(bridgeForPairedToken(window, token))} />
        </main>
      </div>
    );
  }
  return <KioskApp bridge={choice.bridge} link={choice.link} store={store} timings={timings} />;
}

createRoot(container).render(
  <StrictMode>
    <Root timings={readTimings(window.location.search)} />
  </StrictMode>,
);
