import { Worker } from 'node:worker_threads';
import type { TimedReply, TimedRequest, TimedWorkerData } from './recompute-worker.ts';

/** The recompute benchmark's worker thread, one request at a time. */
export function startTimedWorker(data: TimedWorkerData) {
  const worker = new Worker(new URL('./recompute-worker.ts', import.meta.url), { workerData: data });
  const ask = (request: TimedRequest) =>
    new Promise<TimedReply>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      worker.once('error', onError);
      worker.once('message', (reply: TimedReply) => {
        worker.off('error', onError);
        if (reply.error) reject(new Error(reply.error));
        else resolve(reply);
      });
      worker.postMessage(request);
    });
  return {
    rebuild: (version: string) => ask({ kind: 'rebuild', version }),
    read: async () => (await ask({ kind: 'read' })).ms,
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

export type TimedWorker = ReturnType<typeof startTimedWorker>;
