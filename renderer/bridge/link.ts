/**
 * The state of the bridge itself, apart from the kiosk's: Electron's in-process bridge is
 * always `open`; the WebSocket bridge goes through the others.
 */
export type LinkStatus = 'connecting' | 'open' | 'reconnecting' | 'no-token';

/** A bridge that can report its link status; the KioskBridge contract has no such notion. */
export interface LinkStatusSource {
  /** Calls `listener` at once with the current status, then on every change. */
  onLinkStatus(listener: (status: LinkStatus) => void): () => void;
}
