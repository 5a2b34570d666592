import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

/**
 * BullMQ's ceiling for the processing benchmark: a bare Worker with an empty processor, in a
 * process of its own as `closeloop work` is.
 * `node test/bench/noop-worker.ts <redis-url> <prefix> <queue> <concurrency>`; says `ready` on stdout.
 */
const [url = '', prefix = '', queue = '', concurrency = '1'] = process.argv.slice(2);
const worker = new Worker(queue, async () => undefined, {
  connection: new Redis(url, { maxRetriesPerRequest: null }),
  prefix,
  concurrency: Number(concurrency),
});
await worker.waitUntilReady();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
