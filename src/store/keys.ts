/**
 * Key layout of everything closeloop keeps in Redis besides BullMQ's own keys. Everything is under
 * `${prefix}:${portal}`; the projection itself is under a generation, so a rebuild can be built
 * beside the live one and swapped in.
 */
export interface PortalKeys {
  readonly base: string;
  /** Current generation number of the projection. */
  readonly generation: string;
  /** Generation a backfill is building, while it builds. */
  readonly building: string;
  /** Records whose figures changed and need rescoring. */
  readonly rescore: (type: 'contacts' | 'deals') => string;
  /** Ids waiting to be re-read from HubSpot, per object. */
  readonly pending: (object: 'contact' | 'deal') => string;
  /** Ids a sync job has taken and not finished. */
  readonly inflight: (jobId: string) => string;
  /** Ids live sync touched while a backfill was building. */
  readonly touched: (object: 'contact' | 'deal') => string;
  /** Fingerprints of the values HubSpot accepted, per record: the base of bucket hashes (buckets.ts). */
  readonly written: (type: 'contacts' | 'deals') => string;
  /** Values waiting to be written, per record. */
  readonly outbox: (type: 'contacts' | 'deals') => string;
  /** Per campaign, a fingerprint of the campaign-wide values its records were last scored with. */
  readonly scoredWith: string;
  readonly projection: (generation: number) => ProjectionKeys;
}

export interface ProjectionKeys {
  /** The settings (see meaningOf) this generation's figures were computed under. */
  readonly meaning: string;
  /** Bases of the per-record bucket hashes (buckets.ts): append `:` and the bucket. */
  readonly contacts: string;
  readonly deals: string;
  readonly leads: string;
  readonly dealCampaigns: string;
  /** Per campaign code, its totals' fields. */
  readonly totals: string;
  /** The dictionary of names in stored records (name-codes.ts): name → code, code → name. */
  readonly codes: string;
  readonly names: string;
  /** Prefix of the per-campaign member sets; append the campaign's code. */
  readonly leadMembers: string;
  readonly dealMembers: string;
  /** Lag-aware statistics per campaign (small: for the API), curves per campaign (for scoring), and their version. */
  readonly lag: string;
  readonly curves: string;
  readonly statsMeta: string;
  /** The last back-test of the lead score (JSON with the time it was computed). */
  readonly calibration: string;
}

export function portalKeys(prefix: string, portal: number): PortalKeys {
  const base = `${prefix}:${portal}`;
  return {
    base,
    generation: `${base}:gen`,
    building: `${base}:building`,
    rescore: (type) => `${base}:rescore:${type}`,
    pending: (object) => `${base}:pending:${object}`,
    inflight: (jobId) => `${base}:inflight:${jobId}`,
    touched: (object) => `${base}:touched:${object}`,
    written: (type) => `${base}:written:${type}`,
    outbox: (type) => `${base}:outbox:${type}`,
    scoredWith: `${base}:scored-with`,
    projection: (generation) => {
      const g = `${base}:g${generation}`;
      return {
        meaning: `${g}:meaning`,
        contacts: `${g}:contacts`,
        deals: `${g}:deals`,
        leads: `${g}:leads`,
        totals: `${g}:totals`,
        dealCampaigns: `${g}:deal-campaign`,
        codes: `${g}:codes`,
        names: `${g}:names`,
        leadMembers: `${g}:members:`,
        dealMembers: `${g}:deal-members:`,
        lag: `${g}:lag`,
        curves: `${g}:curves`,
        statsMeta: `${g}:stats-meta`,
        calibration: `${g}:calibration`,
      };
    },
  };
}

/** Where the statistics job announces new figures; every serve process relays it to its browsers. */
export function figuresChannel(prefix: string): string {
  return `${prefix}:figures-changed`;
}

/** Where the portal's detected settings live (one portal per deployment). */
export function portalSettingsKey(prefix: string): string {
  return `${prefix}:portal`;
}
