/**
 * The naive per-campaign figures in SQL, from the projection's contacts, deals and their
 * associations, as DESIGN.md defines them and independently of closeloop's code: a deal counts
 * for a lead when it is in a counted pipeline (none listed: all) and was created on or after the
 * lead date; a lead is won with a counted won deal, lost when every counted deal is lost, an
 * opportunity with a counted deal or a lifecycle stage at or past `opportunity`; a won deal's
 * amount is split evenly among the leads it counts for. Money is summed per share denominator
 * and divided once, so it is exact.
 */
export const SCHEMA_SQL = `
CREATE UNLOGGED TABLE contact (id bigint NOT NULL, campaign text NOT NULL, lead_ms bigint, stage text);
CREATE UNLOGGED TABLE deal (id bigint NOT NULL, pipeline text NOT NULL, created_ms bigint NOT NULL,
  closed_ms bigint, won boolean NOT NULL, lost boolean NOT NULL, amount numeric(18, 2));
CREATE UNLOGGED TABLE contact_deal (contact_id bigint NOT NULL, deal_id bigint NOT NULL);
CREATE TABLE stage_order (stage text NOT NULL, position int NOT NULL);
CREATE TABLE counted_pipeline (pipeline text NOT NULL);
`;

export const NAIVE_TOTALS_SQL = `
WITH lead AS (
  SELECT id, campaign, lead_ms, stage FROM contact WHERE lead_ms IS NOT NULL
), counted AS (
  SELECT l.id AS lead_id, l.campaign, d.id AS deal_id, d.won, d.lost, d.amount
  FROM lead l
  JOIN contact_deal cd ON cd.contact_id = l.id
  JOIN deal d ON d.id = cd.deal_id
  WHERE d.created_ms >= l.lead_ms
    AND (NOT EXISTS (SELECT 1 FROM counted_pipeline)
      OR d.pipeline IN (SELECT pipeline FROM counted_pipeline))
), sharing AS (
  SELECT deal_id, count(*) AS n FROM counted GROUP BY deal_id
), per_lead AS (
  SELECT lead_id, bool_or(won) AS won, bool_and(lost) AS all_lost FROM counted GROUP BY lead_id
), money AS (
  SELECT campaign, sum(amount / n) AS revenue, sum(deals::numeric / n) AS won_deals
  FROM (
    SELECT c.campaign, s.n, sum(coalesce(c.amount, 0)) AS amount, count(*) AS deals
    FROM counted c JOIN sharing s USING (deal_id)
    WHERE c.won
    GROUP BY c.campaign, s.n
  ) per_denominator
  GROUP BY campaign
), funnel AS (
  SELECT l.campaign,
    count(*) AS leads,
    count(*) FILTER (WHERE p.lead_id IS NOT NULL OR so.position >= opp.position) AS opportunities,
    count(*) FILTER (WHERE p.won) AS won,
    count(*) FILTER (WHERE NOT p.won AND p.all_lost) AS lost,
    count(*) FILTER (WHERE p.lead_id IS NULL OR NOT (p.won OR p.all_lost)) AS open
  FROM lead l
  LEFT JOIN per_lead p ON p.lead_id = l.id
  LEFT JOIN stage_order so ON so.stage = l.stage
  LEFT JOIN (SELECT position FROM stage_order WHERE stage = 'opportunity') opp ON true
  GROUP BY l.campaign
)
SELECT f.campaign, f.leads::int, f.opportunities::int, f.won::int, f.lost::int, f.open::int,
  coalesce(m.revenue, 0)::text AS revenue, coalesce(m.won_deals, 0)::text AS won_deals
FROM funnel f LEFT JOIN money m USING (campaign)
ORDER BY f.campaign
`;
