/**
 * What closeloop should show, per campaign (its API) and per record (the closeloop_* values), from
 * the funnel views. Record values are arrays of accepted strings: a whole percent or one decimal
 * within 1e-9 of a rounding half may fall either way.
 */
export const EXPECTED_VIEWS = `
CREATE VIEW campaign_totals AS
SELECT campaign,
  count(*) AS leads,
  count(*) FILTER (WHERE opportunity) AS opportunities,
  count(*) FILTER (WHERE status = 'won') AS won,
  count(*) FILTER (WHERE status = 'lost') AS lost,
  count(*) FILTER (WHERE status = 'open') AS open,
  sum(revenue) AS revenue,
  sum(won_share) AS won_deals,
  -- Every lead older than H: nobody is censored before H, so the Aalen–Johansen incidence of won
  -- at H is the plain share of leads won within H days.
  bool_and(s.now_ms - lead_ms > s.horizon_days * 86400000.0) AS lag_checked,
  count(*) FILTER (WHERE status = 'won' AND won_ms - lead_ms <= s.horizon_days * 86400000.0) AS won_within
FROM lead_status CROSS JOIN setting s
GROUP BY campaign;

CREATE VIEW campaign_expected AS
SELECT b.campaign, b.lag_checked, b.display_name, b.alignment, (b.horizon).rate AS close_rate,
  jsonb_build_object(
    'campaign', b.campaign, 'name', b.display_name,
    'leads', b.leads, 'opportunities', b.opportunities, 'won', b.won, 'lost', b.lost, 'open', b.open,
    'revenue', b.revenue::float8, 'wonDeals', b.won_deals::float8,
    'revenuePerLead', (b.revenue / b.leads)::float8,
    'alignmentIndex', b.alignment,
    'leadToOpportunity', to_jsonb(wilson(b.opportunities, b.leads)),
    'leadToClose', to_jsonb(wilson(b.won, b.leads)),
    'opportunityToClose', to_jsonb(wilson(b.won, b.opportunities)),
    'closeRateAtHorizon', CASE WHEN b.lag_checked THEN
      to_jsonb(b.horizon) || jsonb_build_object('days', b.horizon_days, 'maturity', 1) END
  ) AS figures
FROM (
  SELECT t.*, s.horizon_days, coalesce(h.name, t.campaign) AS display_name,
    CASE WHEN a.revenue > 0 AND a.leads > 0
      THEN (t.revenue / a.revenue)::float8 / (t.leads::float8 / a.leads) END AS alignment,
    CASE WHEN t.lag_checked THEN uncensored_incidence(t.won_within, t.leads) END AS horizon
  FROM campaign_totals t
  CROSS JOIN setting s
  CROSS JOIN (SELECT sum(leads) AS leads, sum(revenue) AS revenue FROM campaign_totals) a
  LEFT JOIN hs_campaign h ON h.id = t.campaign
) b;

-- A deal's campaign: the largest share among its counting leads; ties go to the earliest lead's.
CREATE VIEW deal_campaign AS
SELECT DISTINCT ON (deal_id) deal_id, campaign
FROM (SELECT deal_id, campaign, sum(weight) AS weight, min(lead_order) AS first_lead
      FROM deal_share GROUP BY deal_id, campaign) per_campaign
ORDER BY deal_id, weight DESC, first_lead;

-- Open leads' scores, grades and reasons are outside the oracle: they come from the fitted curves
-- and empirical-Bayes shrinkage, which a clean-rebuild check compares instead.
CREATE VIEW contact_expected AS
SELECT c.id, jsonb_strip_nulls(jsonb_build_object(
  'closeloop_campaign', to_jsonb(ARRAY[coalesce(e.display_name, '')]),
  'closeloop_campaign_close_rate', CASE WHEN l.id IS NULL THEN to_jsonb(ARRAY[''])
    WHEN e.lag_checked THEN to_jsonb(percent_choices(e.close_rate)) END,
  'closeloop_lead_score', CASE WHEN l.id IS NULL THEN to_jsonb(ARRAY[''])
    WHEN l.status = 'won' THEN to_jsonb(ARRAY['100']) WHEN l.status = 'lost' THEN to_jsonb(ARRAY['0']) END,
  'closeloop_score_reason', CASE WHEN l.id IS NULL THEN to_jsonb(ARRAY[''])
    WHEN l.status = 'won' THEN to_jsonb(ARRAY['This lead has a won deal.'])
    WHEN l.status = 'lost' THEN to_jsonb(ARRAY['Every deal of this lead was lost.']) END
)) AS fields, l.status
FROM contact_raw c
LEFT JOIN lead_status l ON l.id = c.id
LEFT JOIN campaign_expected e ON e.campaign = l.campaign;

-- A deal that counts for no lead shows nothing.
CREATE VIEW deal_expected AS
SELECT d.id, dc.campaign, jsonb_strip_nulls(jsonb_build_object(
  'closeloop_campaign', to_jsonb(ARRAY[coalesce(e.display_name, '')]),
  'closeloop_alignment_index', to_jsonb(tenths_choices(e.alignment)),
  'closeloop_campaign_close_rate', CASE WHEN dc.deal_id IS NULL THEN to_jsonb(ARRAY[''])
    WHEN e.lag_checked THEN to_jsonb(percent_choices(e.close_rate)) END
)) AS fields
FROM deal_raw d
LEFT JOIN deal_campaign dc ON dc.deal_id = d.id
LEFT JOIN campaign_expected e ON e.campaign = dc.campaign;
`;
