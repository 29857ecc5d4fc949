import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { KioskApp } from './App.tsx';
import { selectBridge } from './bridge/select-bridge.ts';
import { readTimings } from './config.ts';
import { en } from './i18n/en.ts';
import { createKioskStore } from './store/store.ts';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');

document.title = en.app.title;
const { bridge, link } = selectBridge(window);

createRoot(container).render(
  <StrictMode>
    <KioskApp
      bridge={bridge}
      link={link}
      store={createKioskStore()}
      timings={readTimings(window.location.search)}
    />
  </StrictMode>,
);
