/** Reads named Server-Sent Events from a fetch response, one at a time. */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';

  constructor(response: Response) {
    if (!response.body) throw new Error('response has no body');
    this.#reader = response.body.getReader();
  }

  /** The next event with data, skipping comments and retry lines. */
  async next<T = unknown>(): Promise<{ event: string; data: T }> {
    for (;;) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':'))
            .map((line) => [
              line.slice(0, line.indexOf(':')),
              line.slice(line.indexOf(':') + 1).trimStart(),
            ]),
        ) as Record<string, string>;
        if (fields['data'] !== undefined)
          return { event: fields['event'] ?? 'message', data: JSON.parse(fields['data']) as T };
        continue;
      }
      const { value, done } = await this.#reader.read();
      if (done) throw new Error('stream ended');
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }
}
