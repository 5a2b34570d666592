import { type Job, type JobType, Queue } from 'bullmq';
import { QUEUE_NAMES } from '../../../src/queue.ts';

const STATES: JobType[] = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'completed',
  'failed',
  'waiting-children',
];

export interface SeenJob {
  readonly queue: string;
  readonly id: string;
  readonly failedReason: string;
  readonly stacktrace: readonly string[];
  /** Everything BullMQ keeps of the job as the board would show it: data, options, result, reasons, logs. */
  readonly text: string;
}

async function describeJob(queue: Queue, job: Job): Promise<SeenJob> {
  const logs = await queue.getJobLogs(String(job.id));
  const kept = {
    name: job.name,
    data: job.data,
    opts: job.opts,
    returnvalue: job.returnvalue,
    failedReason: job.failedReason,
    stacktrace: job.stacktrace,
    logs: logs.logs,
  };
  return {
    queue: queue.name,
    id: String(job.id),
    failedReason: job.failedReason ?? '',
    stacktrace: job.stacktrace ?? [],
    text: JSON.stringify(kept),
  };
}

/** Every job of every closeloop queue, in any state, read through BullMQ. */
export async function allJobs(redisUrl: string, prefix: string): Promise<SeenJob[]> {
  const queues = Object.values(QUEUE_NAMES).map(
    (name) => new Queue(name, { connection: { url: redisUrl }, prefix }),
  );
  try {
    const seen: SeenJob[] = [];
    for (const queue of queues)
      for (const job of await queue.getJobs(STATES)) if (job) seen.push(await describeJob(queue, job));
    return seen;
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
}

/** Waits until some job's failure reason matches, e.g. a HubSpot status the sandbox was told to answer. */
export async function untilJobFailed(redisUrl: string, prefix: string, reason: RegExp, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await allJobs(redisUrl, prefix);
    const failed = jobs.find((job) => reason.test(job.failedReason));
    if (failed) return failed;
    if (Date.now() > deadline)
      throw new Error(
        `no job failed with ${reason} in ${timeoutMs} ms: ${jobs.map((job) => job.failedReason).join(' | ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
