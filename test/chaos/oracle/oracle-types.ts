import { z } from 'zod';

export const oracleSettingsSchema = z.object({
  campaignProperties: z.array(z.string().min(1)).min(1),
  leadDateProperty: z.string().min(1),
  horizonDays: z.number().int().positive(),
  pipelines: z.array(z.string()),
  attribution: z.enum(['even', 'first', 'last']),
});

export type OracleSettings = z.infer<typeof oracleSettingsSchema>;

export const oracleInputSchema = z.object({
  /** HubSpot stand-in, speaks HubSpot's public API. */
  sandboxUrl: z.url(),
  /** Bearer token for it. */
  accessToken: z.string().min(1),
  /** closeloop serve, for GET /api/campaigns. */
  closeloopUrl: z.url(),
  /** Bearer for closeloop's API when set. */
  dashboardToken: z.string().optional(),
  settings: oracleSettingsSchema,
  /** PostgreSQL to compute in; a scratch schema is created in it and dropped afterwards. */
  databaseUrl: z.string().optional(),
});

export type OracleInput = z.input<typeof oracleInputSchema>;

export interface OracleReport {
  /** Human-readable, each naming the record or campaign, the field, expected and actual. */
  mismatches: string[];
  checked: {
    campaigns: number;
    contacts: number;
    deals: number;
    fields: number;
    /**
     * Campaigns whose lag-aware close rate (and so every record's `closeloop_campaign_close_rate`)
     * was not checked: some lead is H days old or younger, so the estimate has censoring before H
     * and the oracle has no closed form for it.
     */
    lagAwareNotChecked: string[];
  };
}
