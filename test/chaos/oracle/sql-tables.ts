/** The portal's final state and the settings, as loaded into the scratch schema. */
export const TABLES = `
CREATE TABLE setting (horizon_days int NOT NULL, attribution text NOT NULL,
  lead_date_property text NOT NULL, now_ms float8 NOT NULL);
CREATE TABLE campaign_property (ord int NOT NULL, name text NOT NULL);
CREATE TABLE counted_pipeline (id text PRIMARY KEY);
CREATE TABLE stage (ord int NOT NULL, id text NOT NULL);
CREATE TABLE contact_raw (id text PRIMARY KEY, props jsonb NOT NULL);
CREATE TABLE deal_raw (id text PRIMARY KEY, props jsonb NOT NULL, created_at text);
CREATE TABLE association (contact_id text NOT NULL, deal_id text NOT NULL);
CREATE TABLE hs_campaign (id text PRIMARY KEY, name text NOT NULL);
`;
