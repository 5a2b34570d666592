/**
 * Keyset paging over records by (modified time, id), for sweeps past search's 10,000-result cap.
 * HubSpot's search sorts by one property only, so the two halves of the key are two queries:
 * `same` pages the records modified at exactly `at` by id; `later` pages those modified after
 * `at` by time, and hands the last (possibly incomplete) timestamp of a full page back to `same`.
 */
export interface SweepCursor {
  /** Modified time, epoch ms. */
  readonly at: number;
  /** In `same`: the last id done at `at` ('0' before the first). */
  readonly afterId: string;
  readonly phase: 'same' | 'later';
}

export interface Stamp {
  readonly id: string;
  /** Modified time, epoch ms. */
  readonly modifiedAt: number;
}

export interface SweepStep {
  /** Ids of the page to check now; the rest of the page comes again under the next cursor. */
  readonly process: readonly string[];
  /** Null when the sweep is done. */
  readonly next: SweepCursor | null;
}

/** The first cursor of a sweep of records modified at or after `since` (epoch ms). */
export function startCursor(since: number): SweepCursor {
  return { at: since, afterId: '0', phase: 'same' };
}

/**
 * What to check of a page and where the next page starts. `page` is the answer to the cursor's
 * query, in its sort order; a page shorter than `pageSize` is the query's last.
 */
export function sweepStep(cursor: SweepCursor, page: readonly Stamp[], pageSize: number): SweepStep {
  const full = page.length >= pageSize;
  if (cursor.phase === 'same') {
    const last = page.at(-1);
    return {
      process: page.map((stamp) => stamp.id),
      next: full && last ? { ...cursor, afterId: last.id } : { ...cursor, phase: 'later' },
    };
  }
  if (!full) return { process: page.map((stamp) => stamp.id), next: null };
  // Records at the page's last timestamp may continue past it: they are paged by id instead.
  const edge = Math.max(...page.map((stamp) => stamp.modifiedAt));
  return {
    process: page.filter((stamp) => stamp.modifiedAt < edge).map((stamp) => stamp.id),
    next: { at: edge, afterId: '0', phase: 'same' },
  };
}
