// Where the browser host listens and which origins count as its own. The kiosk's own screen
// always uses loopback; a thin-client address is added only when explicitly asked for (kiosk
// host --thin-clients), never swapped in, so the kiosk keeps working when the LAN is down or its
// address changes. The host's own origins are the only ones allowed to open the socket or pair.
import { isIP } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

export const LOOPBACK = '127.0.0.1';

const WILDCARDS = new Set(['0.0.0.0', '::']);

/**
 * Refuses what cannot be a thin-client address. An IP literal only: a page's Origin names the
 * address it was loaded from, and a host name would have to be trusted to resolve here, which
 * is exactly what DNS rebinding breaks.
 */
export function checkThinClientAddress(address: string): string {
  if (isIP(address) === 0) {
    throw new TypeError(`--thin-clients must be an IP address (such as 0.0.0.0), got ${address}`);
  }
  if (address === LOOPBACK) {
    throw new TypeError(`--thin-clients ${LOOPBACK}: the kiosk already listens there`);
  }
  return address;
}

/**
 * The addresses to listen on. A wildcard already takes loopback connections (and would refuse
 * to share the port with a second listener on 127.0.0.1), so it is the only one.
 */
export function listenAddresses(thinClients: string | undefined): string[] {
  if (thinClients === undefined) return [LOOPBACK];
  if (WILDCARDS.has(thinClients)) return [thinClients];
  return [LOOPBACK, thinClients];
}

/**
 * The addresses a thin client reaches the host at: the one given, or for a wildcard every
 * external address of this machine now (one added later is not an origin of ours until the
 * next start).
 */
export function thinClientAddresses(
  thinClients: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  if (!WILDCARDS.has(thinClients)) return [thinClients];
  const ipv4Only = thinClients === '0.0.0.0';
  return Object.values(interfaces)
    .flatMap((infos) => infos ?? [])
    .filter((info) => !info.internal && !(ipv4Only && info.family !== 'IPv4'))
    .filter((info) => !info.address.startsWith('fe80:'))
    .map((info) => info.address);
}

/** `http://<address>:<port>`, with IPv6 addresses in brackets. */
export function httpUrl(address: string, port: number): string {
  return `http://${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
}

/** Every origin a page this host served can have: loopback under both names, and thin clients'. */
export function ownOrigins(port: number, thinClientUrls: readonly string[]): Set<string> {
  return new Set([httpUrl(LOOPBACK, port), `http://localhost:${port}`, ...thinClientUrls]);
}
