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
 * Write-back: four demo portals, so a burst is a backlog of two 10 s windows and more (quick:
 * two, one window); 600 records for the naive writer, about 45 s of 429s and retries (quick: 150,
 * under the 10-second limit, so no 429 at all).
 */
export async function writeBackBenchmark(
  quick: boolean,
  machine: string,
  progress: Progress,
): Promise<string> {
  const options = {
    copies: quick ? 2 : 4,
    repetitions: 3,
    latencyMs: 150,
    requestsPer10s: 190,
    naiveRecords: quick ? 150 : 600,
    naiveConcurrency: 6,
    replayRecords: quick ? 500 : 2000,
  };
  const result = await measureWriteBack(options, progress);
  return writeBackSection(options, result.runs, result, machine);
}
