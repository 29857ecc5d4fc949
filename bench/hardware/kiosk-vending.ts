// Section 4 of `npm run bench:hardware`: a vend request answered by the whole kiosk, not the
// driver alone. The kiosk stack (embedded core, journal, vending runner, device manager) drives
// the VMC simulator through a socat PTY; each session is paid by the demo consumer over the
// payment API (pre-auth), the machine asks to vend, and the time from the VMC writing its request
// to its receiving the approval includes the journal write (synchronous=FULL) that must precede
// the approval. It also times a whole session, from the visit to the books settled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { VmcSimulator } from '../../hardware/simulators/vmc-simulator.ts';
import { startPtyPair } from '../../hardware/testing/pty-pair.ts';
import type { Transport } from '../../hardware/transport/transport.ts';
import { SerialTransport } from '../../hardware/transport/serial-transport.ts';
import { FileSecretStore } from '../../hosts/file-secret-store.ts';
import { FileSettingsStore } from '../../hosts/file-settings-store.ts';
import { startKioskStack } from '../../hosts/kiosk-stack.ts';
import type { KioskState } from '../../terminal/contract/state.ts';
import { DemoConsumer } from '../../tests/support/demo-consumer.ts';
import { deferCleanup } from '../cleanup.ts';

const MAX_CREDIT = 500;

export interface KioskVendResult {
  /** VMC writes its vend request → receives the approval, ms. */
  approvals: number[];
  /** Visit → the session settled (charged and the rest released), ms. */
  sessions: number[];
  /** What each settled session charged, by outcome. */
  outcomes: Record<string, number>;
}

export async function kioskVendLatency(
  sessions: number,
  timingWrites: (transport: Transport, onVendRequest: (at: number) => void) => Transport,
  progress: (message: string) => void,
): Promise<KioskVendResult> {
  const pair = await startPtyPair();
  deferCleanup(() => pair.stop());
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-bench-vending-'));
  deferCleanup(() => rmSync(dataDir, { recursive: true, force: true }));

  let requestWrittenAt: number | undefined;
  let approvalSeen: ((at: number) => void) | undefined;
  const device = new SerialTransport({ path: pair.b });
  const vmc = new VmcSimulator({
    transport: timingWrites(device, (at) => (requestWrittenAt = at)),
    vendMs: 1,
  });
  vmc.onTraffic(({ direction, line }) => {
    if (direction === 'in' && line.startsWith('C,VEND,')) approvalSeen?.(performance.now());
  });
  await vmc.open();
  deferCleanup(() => vmc.close());

  const settings = new FileSettingsStore(join(dataDir, 'settings.json'));
  await settings.write({
    ...(await settings.read()),
    devices: [
      {
        id: 'vmc',
        driver: 'qibixx',
        match: { path: pair.a },
        vending: { maxCredit: MAX_CREDIT, preAuth: true },
      },
    ],
  });
  const stack = await startKioskStack({
    dataDir,
    settings,
    secrets: new FileSecretStore(join(dataDir, 'secrets')),
    logger: pino({ level: 'silent' }),
  });
  deferCleanup(() => stack.close());
  const { kiosk } = stack;
  let state: KioskState | undefined;
  const waiters = new Set<() => void>();
  kiosk.subscribe((next) => {
    state = next;
    for (const wake of [...waiters]) wake();
  });
  const reach = (done: (s: KioskState) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: not reached in 10 s`)), 10_000);
      const check = () => {
        if (!state || !done(state)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const settled = (s: KioskState) =>
    s.vending?.phase === 'done' && s.vending.outcome?.pending === false;

  await reach((s) => s.vending?.readerAvailable === true, 'the reader ready');
  const consumer = await DemoConsumer.signIn(stack.embeddedCoreUrl!, dataDir);
  const result: KioskVendResult = { approvals: [], sessions: [], outcomes: {} };
  const warmup = 3;
  progress(`whole-kiosk sessions: ${warmup} warm-up + ${sessions}, each paid over the API…`);
  for (let i = 0; i < warmup + sessions; i++) {
    const measured = i >= warmup;
    await reach((s) => s.vending?.phase === 'idle' || settled(s), 'the machine free');
    const started = performance.now();
    const answer = await kiosk.visitVendingMachine(state!.terminalId);
    if (answer?.kind !== 'pay') throw new Error(`visit answered ${JSON.stringify(answer)}`);
    await consumer.payUrl(answer.url);
    await reach((s) => s.vending?.phase === 'choosing', 'the credit on the machine');
    const approved = new Promise<number>((resolve) => (approvalSeen = resolve));
    requestWrittenAt = undefined;
    vmc.select(1 + (i % 40), 100 + (i % 300));
    const end = await approved;
    if (requestWrittenAt === undefined) throw new Error('the VEND line was never written');
    await reach(settled, 'the session settled');
    if (!measured) continue;
    result.approvals.push(end - requestWrittenAt);
    result.sessions.push(performance.now() - started);
    const outcome = state!.vending!.outcome!;
    const key = `${outcome.reason}${outcome.refused ? ' (refused)' : ''}`;
    result.outcomes[key] = (result.outcomes[key] ?? 0) + 1;
  }
  return result;
}
