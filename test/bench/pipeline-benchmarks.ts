import { measureProcessing } from './processing.ts';
import { processingSection } from './processing-section.ts';
import { measureWriteBack } from './write-back.ts';
import { writeBackSection } from './write-back-section.ts';

type Progress = (line: string) => void;

/** Processing: 20,000 events a burst (quick: 5,000) over the demo portal's changed records. */
export async function processingBenchmark(
  quick: boolean,
  machine: string,
  progress: Progress,
): Promise<string> {
  const options = { events: quick ? 5_000 : 20_000, perDelivery: 100, repetitions: 3 };
  return processingSection(options, await measureProcessing(options, progress), machine);
}

/**
 * Write-back: four demo portals, so a burst is a backlog of two 10 s windows and more; 600 records
 * for the naive writer, about 45 s of 429s and retries. Quick: one demo portal under a limit of 80
 * calls per 10 s (a budget of 64, so its burst of about 80 calls is still a backlog past one
 * window), the warm-up at full speed, budgets emptied rather than waited for, the replay and the
 * re-run with nothing changed after the last burst only, 30 naive records.
 */
export async function writeBackBenchmark(
  quick: boolean,
  machine: string,
  progress: Progress,
): Promise<string> {
  const options = {
    copies: quick ? 1 : 4,
    repetitions: 3,
    latencyMs: 150,
    requestsPer10s: quick ? 80 : 190,
    naiveRecords: quick ? 30 : 600,
    naiveConcurrency: 6,
    replayRecords: quick ? 500 : 2000,
    warmUp: quick ? 'unthrottled' : 'throttled',
    refill: quick ? 'empty' : 'wait',
    idlePhases: quick ? 'last' : 'every',
  } as const;
  const result = await measureWriteBack(options, progress);
  return writeBackSection(options, result.runs, result, machine);
}
