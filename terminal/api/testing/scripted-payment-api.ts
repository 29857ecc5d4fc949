// An in-memory PaymentApi for flow tests (sale, refund, reconciler): every call is recorded and
// answered from a per-method script, in order: a value, a thrown error (a PaymentApiError refusal,
// an OutcomeUnknownError, or any other Error as a bug would throw), or an answer held until the
// test releases it. A call beyond its script is an error the test must see (`unscripted`): the
// runners turn any thrown error into "outcome unknown", so it would otherwise pass unnoticed.
import { OutcomeUnknownError, PaymentApiError } from '../errors.ts';
import type { PaymentApi, WatchHandlers, WatchMode } from '../payment-api.ts';
import type { Activity, PaymentRequest } from '../wire.ts';

/** What each scripted method resolves to. */
interface Answers {
  createPaymentRequest: PaymentRequest;
  getPaymentRequest: PaymentRequest;
  getByShortCode: PaymentRequest;
  listByExternalRef: PaymentRequest[];
  listActivities: Activity[];
  pay: Activity;
  void: Activity;
  refund: Activity;
  confirm: Activity;
  release: Activity;
}

export type ScriptedMethod = keyof Answers;

/** One call as the fake saw it, with its arguments exactly as passed. */
export type ScriptedCall = {
  [M in ScriptedMethod]: { method: M; args: Parameters<PaymentApi[M]> };
}[ScriptedMethod];

/** An answer the test gives later, to look at the flow while the call is in flight. */
export class Held<T> {
  readonly promise: Promise<T | Error>;
  #release: (answer: T | Error) => void = () => {};

  constructor() {
    this.promise = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  /** Resolves the held call with `answer`, or rejects it when `answer` is an Error. */
  release(answer: T | Error): void {
    this.#release(answer);
  }
}

export type Answer<T> = T | Error | Held<T>;

export class UnscriptedCallError extends Error {
  override readonly name = 'UnscriptedCallError';
}

/** A 4xx refusal with the contract's CODE. */
export const refused = (code: string, statusCode = 403) => new PaymentApiError(statusCode, code);

/** The client's verdict after its retries: the call may or may not have taken effect. */
export const outcomeUnknown = () => new OutcomeUnknownError('no answer after retries', 2);

export interface ScriptedWatch {
  requestId: string;
  handlers: WatchHandlers;
  stopped: boolean;
}

export class ScriptedPaymentApi implements PaymentApi {
  readonly calls: ScriptedCall[] = [];
  /** Calls that found their script empty, as `method(args)`. */
  readonly unscripted: string[] = [];
  readonly watches: ScriptedWatch[] = [];
  readonly #scripts = new Map<ScriptedMethod, Answer<unknown>[]>();

  /** Appends answers to `method`'s script; each call takes the next one. */
  script<M extends ScriptedMethod>(method: M, ...answers: Answer<Answers[M]>[]): this {
    const queue = this.#scripts.get(method) ?? [];
    queue.push(...answers);
    this.#scripts.set(method, queue);
    return this;
  }

  /** Scripts an answer the test releases later. */
  hold<M extends ScriptedMethod>(method: M): Held<Answers[M]> {
    const held = new Held<Answers[M]>();
    this.script(method, held);
    return held;
  }

  /** The arguments of every call to `method`, in order. */
  callsTo<M extends ScriptedMethod>(method: M): Parameters<PaymentApi[M]>[] {
    // Narrowing by `method` does not reach a generic M, hence the cast.
    return this.calls
      .filter((call) => call.method === method)
      .map((call) => call.args as Parameters<PaymentApi[M]>);
  }

  /** Answers not used yet, per method: a test that scripted too much shows it here. */
  get leftover(): Partial<Record<ScriptedMethod, number>> {
    const left: Partial<Record<ScriptedMethod, number>> = {};
    for (const [method, queue] of this.#scripts) if (queue.length > 0) left[method] = queue.length;
    return left;
  }

  /** Ids of the requests being watched now. */
  get watching(): string[] {
    return this.watches.filter((watch) => !watch.stopped).map((watch) => watch.requestId);
  }

  /** Reports `request` to the live watches on it, as the core's stream or a poll would. */
  emitChange(request: PaymentRequest): void {
    for (const watch of this.#live(request.id)) watch.handlers.onChange(request);
  }

  emitMode(requestId: string, mode: WatchMode): void {
    for (const watch of this.#live(requestId)) watch.handlers.onMode(mode);
  }

  createPaymentRequest(...args: Parameters<PaymentApi['createPaymentRequest']>) {
    return this.#answer({ method: 'createPaymentRequest', args });
  }

  getPaymentRequest(...args: Parameters<PaymentApi['getPaymentRequest']>) {
    return this.#answer({ method: 'getPaymentRequest', args });
  }

  getByShortCode(...args: Parameters<PaymentApi['getByShortCode']>) {
    return this.#answer({ method: 'getByShortCode', args });
  }

  listByExternalRef(...args: Parameters<PaymentApi['listByExternalRef']>) {
    return this.#answer({ method: 'listByExternalRef', args });
  }

  listActivities(...args: Parameters<PaymentApi['listActivities']>) {
    return this.#answer({ method: 'listActivities', args });
  }

  pay(...args: Parameters<PaymentApi['pay']>) {
    return this.#answer({ method: 'pay', args });
  }

  void(...args: Parameters<PaymentApi['void']>) {
    return this.#answer({ method: 'void', args });
  }

  refund(...args: Parameters<PaymentApi['refund']>) {
    return this.#answer({ method: 'refund', args });
  }

  confirm(...args: Parameters<PaymentApi['confirm']>) {
    return this.#answer({ method: 'confirm', args });
  }

  release(...args: Parameters<PaymentApi['release']>) {
    return this.#answer({ method: 'release', args });
  }

  watch(requestId: string, handlers: WatchHandlers): () => void {
    const watch: ScriptedWatch = { requestId, handlers, stopped: false };
    this.watches.push(watch);
    return () => {
      watch.stopped = true;
    };
  }

  #live(requestId: string): ScriptedWatch[] {
    return this.watches.filter((watch) => !watch.stopped && watch.requestId === requestId);
  }

  async #answer<C extends ScriptedCall>(call: C): Promise<Answers[C['method']]> {
    this.calls.push(call);
    const next = this.#scripts.get(call.method)?.shift();
    if (next === undefined) {
      const described = `${call.method}(${call.args.map((arg) => JSON.stringify(arg)).join(', ')})`;
      this.unscripted.push(described);
      throw new UnscriptedCallError(`no scripted answer for ${described}`);
    }
    const answer = next instanceof Held ? await next.promise : next;
    if (answer instanceof Error) throw answer;
    return answer as Answers[C['method']];
  }
}
