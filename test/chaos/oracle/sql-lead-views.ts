/**
 * Each lead's place in the funnel, per DESIGN.md "Definitions". Times are epoch ms (float8, as
 * JavaScript holds them); money is numeric.
 */
export const LEAD_VIEWS = `
-- Campaign: the first non-empty campaign property; the source drill-downs name the import channel
-- when the original source is OFFLINE, so they are skipped then.
CREATE VIEW contact_fact AS
SELECT c.id,
  coalesce((
    SELECT js_trim(c.props ->> p.name) FROM campaign_property p
    WHERE coalesce(js_trim(c.props ->> p.name), '') <> ''
      AND NOT (p.name IN ('hs_analytics_source_data_1', 'hs_analytics_source_data_2')
               AND upper(coalesce(js_trim(c.props ->> 'hs_analytics_source'), '')) = 'OFFLINE')
    ORDER BY p.ord LIMIT 1), '(none)') AS campaign,
  hs_ms(c.props ->> s.lead_date_property) AS lead_ms,
  nullif(js_trim(c.props ->> 'lifecyclestage'), '') AS stage
FROM contact_raw c CROSS JOIN setting s;

CREATE VIEW lead AS SELECT * FROM contact_fact WHERE lead_ms IS NOT NULL;

CREATE VIEW deal_fact AS
SELECT d.id,
  coalesce(d.props ->> 'pipeline', 'default') AS pipeline,
  coalesce(hs_ms(d.props ->> 'createdate'), hs_ms(d.created_at)) AS created_ms,
  hs_ms(d.props ->> 'closedate') AS closed_ms,
  coalesce(d.props ->> 'hs_is_closed_won' = 'true', false) AS won,
  coalesce(d.props ->> 'hs_is_closed_lost' = 'true', false) AS lost,
  coalesce(js_number(d.props ->> 'amount_in_home_currency'), js_number(d.props ->> 'amount')) AS amount
FROM deal_raw d;

-- A deal counts for a lead when it is in a counted pipeline (all when none is configured) and was
-- created on or after the lead date: an older deal is a stakeholder's.
CREATE VIEW counting AS
SELECT l.id AS contact_id, l.campaign, l.lead_ms, d.id AS deal_id
FROM (SELECT DISTINCT contact_id, deal_id FROM association) a
JOIN lead l ON l.id = a.contact_id
JOIN deal_fact d ON d.id = a.deal_id
WHERE d.created_ms >= l.lead_ms
  AND (NOT EXISTS (SELECT 1 FROM counted_pipeline) OR d.pipeline IN (SELECT id FROM counted_pipeline));

-- Shares of a deal among its counting leads. lead_order: by lead date, then id (numeric ids compare
-- by length first). weight: what decides the deal's campaign, exactly (even: one per lead).
CREATE VIEW deal_share AS
SELECT c.*, o.lead_order, o.latest_order,
  CASE s.attribution WHEN 'even' THEN 1::numeric / o.n
    WHEN 'first' THEN (o.lead_order = 1)::int::numeric
    ELSE (o.latest_order = 1)::int::numeric END AS share,
  CASE s.attribution WHEN 'even' THEN 1
    WHEN 'first' THEN (o.lead_order = 1)::int
    ELSE (o.latest_order = 1)::int END AS weight
FROM counting c
CROSS JOIN setting s
JOIN (SELECT contact_id, deal_id, count(*) OVER w AS n,
        row_number() OVER (w ORDER BY lead_ms, length(contact_id), contact_id COLLATE "C") AS lead_order,
        row_number() OVER (w ORDER BY lead_ms DESC, length(contact_id), contact_id COLLATE "C") AS latest_order
      FROM counting WINDOW w AS (PARTITION BY deal_id)) o
  ON o.contact_id = c.contact_id AND o.deal_id = c.deal_id;

-- Won date: the earliest closedate of its won counted deals, clamped to [lead date, now].
CREATE VIEW lead_deals AS
SELECT l.id, l.campaign, l.lead_ms, l.stage,
  count(ds.deal_id) AS counted,
  count(ds.deal_id) FILTER (WHERE d.won) AS won_count,
  coalesce(bool_and(d.lost), false) AS all_lost,
  min(least(greatest(coalesce(d.closed_ms, s.now_ms), l.lead_ms), greatest(l.lead_ms, s.now_ms)))
    FILTER (WHERE d.won) AS won_ms,
  coalesce(sum(ds.share * coalesce(d.amount, 0)) FILTER (WHERE d.won), 0) AS revenue,
  coalesce(sum(ds.share) FILTER (WHERE d.won), 0) AS won_share
FROM lead l
CROSS JOIN setting s
LEFT JOIN deal_share ds ON ds.contact_id = l.id
LEFT JOIN deal_fact d ON d.id = ds.deal_id
GROUP BY l.id, l.campaign, l.lead_ms, l.stage, s.now_ms;

-- Opportunity: a counted deal, or a lifecycle stage at or past opportunity in the portal's order.
CREATE VIEW lead_status AS
SELECT f.*,
  CASE WHEN f.won_count > 0 THEN 'won' WHEN f.counted > 0 AND f.all_lost THEN 'lost' ELSE 'open' END AS status,
  f.counted > 0 OR coalesce(
    (SELECT min(ord) FROM stage WHERE id = f.stage) >= (SELECT min(ord) FROM stage WHERE id = 'opportunity'),
    false) AS opportunity
FROM lead_deals f;
`;
