// Why an invoke got no answer. A refused command is not an error (it resolves `{ok: false}`);
// these mean the command may or may not have run, and the screen's next state will tell.

export class BridgeDisconnectedError extends Error {
  override readonly name = 'BridgeDisconnectedError';
  constructor(command: string) {
    super(`the connection to the kiosk dropped before "${command}" was answered`);
  }
}

export class BridgeTimeoutError extends Error {
  override readonly name = 'BridgeTimeoutError';
  constructor(command: string, ms: number) {
    super(`"${command}" got no answer within ${ms} ms`);
  }
}
