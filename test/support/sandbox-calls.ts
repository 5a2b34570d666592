import { z } from 'zod';

const callLogSchema = z.object({
  calls: z.array(z.object({ at: z.number(), call: z.string(), status: z.number().int() })),
});

export type SandboxCall = z.output<typeof callLogSchema>['calls'][number];

/** The sandbox's own record of every API call it answered (`GET /__sandbox/calls`). */
export async function sandboxCalls(sandboxUrl: string): Promise<SandboxCall[]> {
  const response = await fetch(`${sandboxUrl}/__sandbox/calls`);
  if (!response.ok) throw new Error(`GET /__sandbox/calls → ${response.status} ${await response.text()}`);
  return callLogSchema.parse(await response.json()).calls;
}

/**
 * The most calls any rolling window of `windowMs` holds, counted as HubSpot's limiter counts
 * them: a call at `t` shares a window with the calls in (t − windowMs, t].
 */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[start] as number) <= (sorted[end] as number) - windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
