import { Worker } from 'node:worker_threads';

/**
 * One webhook delivery as it passed between the sandbox (HubSpot) and `serve`: when it arrived,
 * when `serve` answered and how (0: no answer, the connection failed), and which objects it named.
 */
export interface Delivery {
  readonly receivedAt: number;
  readonly answeredAt: number;
  readonly status: number;
  readonly events: number;
  readonly objectIds: readonly string[];
}

/**
 * A pass-through in front of `serve`, where HubSpot's deliveries arrive (it is PUBLIC_BASE_URL, as
 * a TLS proxy would be): it forwards every request byte for byte and records each answer. A
 * connection `serve` refuses or resets becomes a 502, which HubSpot retries like a refusal. It
 * runs in a worker thread (proxy-worker.ts); its records arrive here as messages.
 */
export interface WebhookProxy {
  readonly url: string;
  readonly deliveries: Delivery[];
  inFlight(): number;
  close(): Promise<void>;
}

export async function startWebhookProxy(targetUrl: string): Promise<WebhookProxy> {
  const counter = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./proxy-worker.ts', import.meta.url), {
    workerData: { targetUrl, counter },
  });
  const deliveries: Delivery[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (message: { delivery?: Delivery; port?: number }) => {
      if (message.delivery) deliveries.push(message.delivery);
      if (message.port) resolve(message.port);
    });
    worker.once('error', reject);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    inFlight: () => Atomics.load(counter, 0),
    async close() {
      worker.postMessage('close');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      await worker.terminate();
    },
  };
}
