import type { LogFn } from '../sandbox-options.ts';
import type { Random } from '../seeded-random.ts';
import { postEvents, retryDelay } from './webhook-delivery.ts';
import type { WebhookEvent } from './webhook-events.ts';

export type DispatcherSettings = {
  url: string | undefined;
  secret: string;
  batchMs: number;
  timeoutMs: number;
  maxRetries: number;
  backoffScale: number;
  maxConcurrent: number;
  duplicateRate: number;
  shuffle: boolean;
};

type Delivery = { events: WebhookEvent[]; attempt: number };

const MAX_EVENTS_PER_POST = 100;

/** Batches, signs, sends and retries webhook events the way HubSpot's sender does. */
export class WebhookDispatcher {
  readonly settings: DispatcherSettings;
  readonly #random: Random;
  readonly #log: LogFn;
  #history: WebhookEvent[] = [];
  #buffer: WebhookEvent[] = [];
  /** Duplicates wait here so they travel in a different POST than the original. */
  #later: WebhookEvent[] = [];
  #ready: Delivery[] = [];
  #inFlight = 0;
  #inFlightEvents = 0;
  #waitingRetry = 0;
  /** Bumped by reset, so answers to requests sent before it are ignored. */
  #generation = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  #abort = new AbortController();
  #idleWaiters: (() => void)[] = [];
  /** Deliveries off: events are neither built, sent nor kept for a later replay. */
  dropping = false;
  delivered = 0;
  failed = 0;

  constructor(settings: DispatcherSettings, random: Random, log: LogFn) {
    this.settings = settings;
    this.#random = random;
    this.#log = log;
  }

  get pending(): number {
    const queued = this.#ready.reduce((n, d) => n + d.events.length, 0);
    return this.#buffer.length + this.#later.length + queued + this.#inFlightEvents + this.#waitingRetry;
  }

  enqueue(events: WebhookEvent[]): void {
    if (this.dropping || events.length === 0) return;
    this.#history.push(...events);
    this.#queue(events, true);
  }

  /** Sends every event generated so far once more (fresh attempt numbers). */
  replay(): number {
    this.#queue([...this.#history], false);
    return this.#history.length;
  }

  #queue(events: WebhookEvent[], allowDuplicates: boolean): void {
    if (!this.settings.url || this.dropping) return;
    for (const event of events) {
      this.#buffer.push(event);
      if (allowDuplicates && this.#random.chance(this.settings.duplicateRate)) this.#later.push(event);
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#buffer.length >= MAX_EVENTS_PER_POST) this.#flush();
    else if (!this.#flushTimer && this.#buffer.length + this.#later.length > 0) {
      this.#flushTimer = setTimeout(() => this.#flush(), this.settings.batchMs);
    }
  }

  #flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const events = this.#buffer;
    this.#buffer = this.#later;
    this.#later = [];
    if (this.settings.shuffle) this.#random.shuffle(events);
    for (let i = 0; i < events.length; i += MAX_EVENTS_PER_POST) {
      this.#ready.push({ events: events.slice(i, i + MAX_EVENTS_PER_POST), attempt: 0 });
    }
    if (this.settings.shuffle) this.#random.shuffle(this.#ready);
    this.#pump();
    this.#schedule();
  }

  #pump(): void {
    while (this.#inFlight < this.settings.maxConcurrent && this.#ready.length > 0) {
      const delivery = this.#ready.shift() as Delivery;
      this.#inFlight++;
      this.#inFlightEvents += delivery.events.length;
      void this.#send(delivery, this.#generation);
    }
    this.#checkIdle();
  }

  async #send(delivery: Delivery, generation: number): Promise<void> {
    const url = this.settings.url;
    const target = { url: url ?? '', secret: this.settings.secret, timeoutMs: this.settings.timeoutMs };
    const ok =
      url !== undefined && (await postEvents(target, delivery.events, delivery.attempt, this.#abort.signal));
    if (generation !== this.#generation) return;
    this.#inFlight--;
    this.#inFlightEvents -= delivery.events.length;
    if (ok) this.delivered += delivery.events.length;
    else this.#retry(delivery);
    this.#pump();
  }

  #retry(delivery: Delivery): void {
    if (this.dropping) return;
    if (delivery.attempt >= this.settings.maxRetries) {
      this.failed += delivery.events.length;
      this.#log(
        `webhook delivery gave up after ${delivery.attempt + 1} attempts (${delivery.events.length} events)`,
      );
      return;
    }
    this.#waitingRetry += delivery.events.length;
    const timer = setTimeout(
      () => {
        this.#retryTimers.delete(timer);
        this.#waitingRetry -= delivery.events.length;
        this.#ready.push({ events: delivery.events, attempt: delivery.attempt + 1 });
        this.#pump();
      },
      retryDelay(delivery.attempt, this.settings.backoffScale, this.#random.next()),
    );
    this.#retryTimers.add(timer);
  }

  /**
   * Turns deliveries off or on. Off also forgets what waits to be sent (buffered, queued, awaiting a
   * retry): nothing is sent later; a POST already on the wire still completes.
   */
  setDelivering(on: boolean): void {
    this.dropping = !on;
    if (on) return;
    this.#clearQueues();
    this.#checkIdle();
  }

  #clearQueues(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    this.#buffer = [];
    this.#later = [];
    this.#ready = [];
    this.#waitingRetry = 0;
  }

  whenIdle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #checkIdle(): void {
    if (this.pending !== 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Forgets everything (history, queues, retries, counters) but whether deliveries are on. */
  reset(): void {
    this.#generation++;
    this.#abort.abort();
    this.#abort = new AbortController();
    this.#clearQueues();
    this.#history = [];
    this.#inFlight = 0;
    this.#inFlightEvents = 0;
    this.delivered = 0;
    this.failed = 0;
    this.#checkIdle();
  }
}
