// The kiosk UI: wires a bridge to a store, shows the screen the state calls for, and runs the
// idle timeout.
import { useEffect } from 'react';
import { BridgeProvider } from './bridge/context.tsx';
import type { LinkStatusSource } from './bridge/link.ts';
import { Banners } from './components/Banners.tsx';
import { useCommand } from './components/hooks.ts';
import { Screen } from './components/Screen.tsx';
import { useWedgeScanner } from './components/use-wedge-scanner.ts';
import type { Timings } from './config.ts';
import type { KioskBridge, SaleState } from './contract.ts';
import { useT } from './i18n/i18n.tsx';
import { idlePlan } from './idle.ts';
import { AmountScreen } from './screens/AmountScreen.tsx';
import { AttendantScreen } from './screens/AttendantScreen.tsx';
import { BarcodeScreen } from './screens/BarcodeScreen.tsx';
import { CancelledScreen } from './screens/CancelledScreen.tsx';
import { DeclinedScreen } from './screens/DeclinedScreen.tsx';
import { DevicesScreen } from './screens/DevicesScreen.tsx';
import { ExpiredScreen } from './screens/ExpiredScreen.tsx';
import { IdleScreen } from './screens/IdleScreen.tsx';
import { JournalScreen } from './screens/JournalScreen.tsx';
import { MethodScreen } from './screens/MethodScreen.tsx';
import { PaidScreen } from './screens/PaidScreen.tsx';
import { PinScreen } from './screens/PinScreen.tsx';
import { ProcessingScreen } from './screens/ProcessingScreen.tsx';
import { QrScreen } from './screens/QrScreen.tsx';
import { RefundScreen } from './screens/RefundScreen.tsx';
import { SettingsScreen } from './screens/SettingsScreen.tsx';
import { VendingScreen } from './screens/VendingScreen.tsx';
import { VoucherScreen } from './screens/VoucherScreen.tsx';
import { StoreProvider, useKiosk, useKioskStore } from './store/context.tsx';
import { assertNever, selectScreen } from './store/screen.ts';
import type { KioskStore } from './store/store.ts';

export function KioskApp({
  bridge,
  link,
  store,
  timings,
}: {
  bridge: KioskBridge;
  /** Null for a bridge that cannot drop (Electron's). */
  link: LinkStatusSource | null;
  store: KioskStore;
  timings: Timings;
}) {
  useEffect(
    () => bridge.subscribe((state) => store.getState().applySnapshot(state)),
    [bridge, store],
  );
  useEffect(() => {
    if (!link) {
      store.getState().setLink('open');
      return;
    }
    return link.onLinkStatus((status) => store.getState().setLink(status));
  }, [link, store]);

  return (
    <BridgeProvider bridge={bridge}>
      <StoreProvider store={store}>
        <Shell timings={timings} />
      </StoreProvider>
    </BridgeProvider>
  );
}

function Shell({ timings }: { timings: Timings }) {
  useIdleTimeout(timings);
  useWedgeScanner();
  return (
    <div className="app">
      <Banners />
      <main className="stage">
        <CurrentScreen />
      </main>
    </div>
  );
}

function CurrentScreen() {
  const screen = useKiosk(selectScreen);
  const sale = useKiosk((s) => s.kiosk?.sale);
  const vending = useKiosk((s) => s.kiosk?.vending ?? null);
  if (sale && sale.phase !== 'idle') return <SaleScreen sale={sale} />;
  switch (screen) {
    case 'connecting':
      return <ConnectingScreen />;
    case 'idle':
      return <IdleScreen />;
    case 'amount':
      return <AmountScreen />;
    case 'method':
      return <MethodScreen />;
    case 'pin':
      return <PinScreen />;
    case 'attendant':
      return <AttendantScreen />;
    case 'refund':
      return <RefundScreen />;
    case 'journal':
      return <JournalScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'devices':
      return <DevicesScreen />;
    case 'vending-idle':
    case 'vending-out-of-service':
    case 'vending-awaitingPayment':
    case 'vending-startingSession':
    case 'vending-choosing':
    case 'vending-vending':
    case 'vending-settling':
    case 'vending-done':
      return vending && <VendingScreen vending={vending} />;
    default:
      // Sale screens are chosen by SaleScreen from the same state.
      return null;
  }
}

/** The screen of a sale in progress; the same mapping as saleScreen() in store/screen.ts. */
function SaleScreen({ sale }: { sale: Exclude<SaleState, { phase: 'idle' }> }) {
  switch (sale.phase) {
    case 'awaitingBarcode':
      return <BarcodeScreen sale={sale} />;
    case 'awaitingPayment':
      switch (sale.order.method) {
        case 'qr':
          return <QrScreen key={sale.request.id} sale={sale} />;
        case 'voucher':
          return <VoucherScreen key={sale.request.id} sale={sale} />;
        case 'barcode':
          return <ProcessingScreen sale={sale} />;
        default:
          return assertNever(sale.order.method);
      }
    case 'creating':
    case 'paying':
    case 'checking':
    case 'cancelling':
      return <ProcessingScreen sale={sale} />;
    case 'paid':
      return <PaidScreen sale={sale} />;
    case 'declined':
      return <DeclinedScreen sale={sale} />;
    case 'expired':
      return <ExpiredScreen sale={sale} />;
    case 'cancelled':
      return <CancelledScreen sale={sale} />;
    default:
      return assertNever(sale);
  }
}

function ConnectingScreen() {
  const t = useT();
  const link = useKiosk((s) => s.link);
  return (
    <Screen id="connecting" heading={t.app.title} phase={link}>
      {link !== 'no-token' && <div className="spinner" aria-hidden="true" />}
      <p className="lead" role="status">
        {link === 'no-token' ? t.app.noToken : t.app.connecting}
      </p>
    </Screen>
  );
}

/**
 * After a stretch without a touch, do what idlePlan() says for this screen, then return to the
 * attract screen. Any touch or key restarts the wait; so does a new screen.
 */
function useIdleTimeout(timings: Timings) {
  const store = useKioskStore();
  const run = useCommand();
  // idlePlan returns one of a few fixed objects, so this selection is stable between renders.
  const plan = useKiosk(idlePlan);
  const screen = useKiosk(selectScreen);

  useEffect(() => {
    if (!plan) return;
    const delay = plan.after === 'result' ? timings.resultMs : timings.idleMs;
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const restart = () => {
      clearTimeout(timer);
      if (!disposed) timer = setTimeout(fire, delay);
    };
    const fire = async () => {
      // The UI leaves first, so a command that fails leaves its error on the attract screen.
      store.getState().resetUi();
      for (const command of plan.commands) await run(command, {});
      // Still on this plan (a command failed, or the link is down): try again after a wait.
      restart();
    };
    restart();
    window.addEventListener('pointerdown', restart, { capture: true, passive: true });
    window.addEventListener('keydown', restart, { capture: true });
    return () => {
      disposed = true;
      clearTimeout(timer);
      window.removeEventListener('pointerdown', restart, { capture: true });
      window.removeEventListener('keydown', restart, { capture: true });
    };
  }, [plan, screen, timings, run, store]);
}
