// @ts-check
import {
  csrfToken,
  fillDefinitions,
  getJson,
  money,
  number,
  onFiguresChanged,
  PALETTE,
  percent,
} from './format.js';

const key = decodeURIComponent(location.pathname.replace(/^\/campaigns\//, ''));
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @type {Map<string, any>} */
const charts = new Map();

function draw(/** @type {string} */ id, /** @type {any} */ config) {
  const existing = charts.get(id);
  if (existing) {
    existing.data = config.data;
    existing.update();
    return;
  }
  // @ts-expect-error Chart comes from the vendored UMD build.
  charts.set(id, new window.Chart(/** @type {HTMLCanvasElement} */ ($(id)), config));
}

/** @param {{ day: number, rate: number|null, low: number|null, high: number|null }[]} curve @param {string} color */
function curveConfig(curve, color, label) {
  const points = (/** @type {'rate'|'low'|'high'} */ k) => curve.map((p) => ({ x: p.day, y: p[k] }));
  return {
    type: 'line',
    data: {
      datasets: [
        { label: 'low', data: points('low'), pointRadius: 0, borderWidth: 0, borderColor: 'transparent' },
        {
          label: '95 % band',
          data: points('high'),
          pointRadius: 0,
          borderWidth: 0,
          fill: '-1',
          backgroundColor: `${color}33`,
          borderColor: 'transparent',
        },
        { label, data: points('rate'), pointRadius: 0, borderColor: color, borderWidth: 2 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      parsing: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'days since lead' } },
        y: { min: 0, ticks: { callback: (/** @type {number} */ v) => `${Math.round(v * 1000) / 10} %` } },
      },
      plugins: { legend: { labels: { filter: (/** @type {any} */ i) => i.text !== 'low' } } },
    },
  };
}

/** @param {any} c @param {any} portal */
function renderFigures(c, portal) {
  const rate = c.closeRateAtHorizon;
  const entries = [
    ['Leads', number(c.leads)],
    ['Opportunities', number(c.opportunities)],
    ['Won', number(c.won)],
    ['Lost', number(c.lost)],
    ['Revenue', money(c.revenue, portal.currency)],
    [
      `Close rate within ${rate.days} days`,
      rate.rate === null
        ? 'too young to tell'
        : `${percent(rate.rate)} (${percent(rate.low)}–${percent(rate.high)})`,
    ],
    ['Maturity', percent(rate.maturity, 0)],
    ['Naive lead → close', percent(c.leadToClose.rate)],
    [
      'Shrunk close rate',
      c.shrunkCloseRate
        ? `${percent(c.shrunkCloseRate.rate)} (own data weighs ${percent(c.shrunkCloseRate.weight, 0)})`
        : '–',
    ],
    ['Median days to opportunity', c.medianDaysToOpportunity ?? '–'],
    ['Median days opportunity → won', c.medianDaysToClose ?? '–'],
    ['Alignment index', c.alignmentIndex === null ? '–' : c.alignmentIndex.toFixed(2)],
    ['Spend', money(c.spend, portal.currency)],
    ['Cost per lead', money(c.costPerLead, portal.currency)],
    ['Cost per won deal', money(c.costPerWon, portal.currency)],
    [
      'Cost per expected won deal',
      c.costPerExpectedWon?.value == null
        ? '–'
        : `${money(c.costPerExpectedWon.value, portal.currency)} (${money(c.costPerExpectedWon.low)}–${money(c.costPerExpectedWon.high)})`,
    ],
    ['Stage skips', number(c.stageSkips)],
  ];
  fillDefinitions($('figures'), /** @type {[string, string | number][]} */ (entries));
}

/** @param {any} leads @param {any} portal */
function renderLeads(leads, portal) {
  const body = /** @type {HTMLTableSectionElement} */ (
    /** @type {HTMLTableElement} */ ($('leads')).tBodies[0]
  );
  body.replaceChildren(
    ...leads.top.map((/** @type {any} */ lead) => {
      const tr = document.createElement('tr');
      const link = Object.assign(document.createElement('a'), {
        href: `https://${portal.uiDomain}/contacts/${portal.portalId}/record/0-1/${lead.id}`,
        textContent: `Contact ${lead.id}`,
        target: '_blank',
        rel: 'noopener',
      });
      const name = document.createElement('th');
      name.scope = 'row';
      name.append(link);
      tr.append(name);
      for (const [value, numeric] of [
        [lead.score, true],
        [lead.grade, false],
        [lead.stage, false],
        [lead.ageDays, true],
      ]) {
        const cell = tr.insertCell();
        if (numeric) cell.className = 'num';
        cell.textContent = String(value);
      }
      return tr;
    }),
  );
  draw('scores-chart', {
    type: 'bar',
    data: {
      labels: leads.histogram.map((/** @type {any} */ b) => `${b.low}–${b.high}`),
      datasets: [
        {
          label: 'Open leads',
          data: leads.histogram.map((/** @type {any} */ b) => b.count),
          backgroundColor: PALETTE[0],
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { title: { display: true, text: 'lead score' } } },
    },
  });
}

async function load(portal) {
  const [c, leads] = await Promise.all([
    getJson(`/api/campaigns/${encodeURIComponent(key)}`),
    getJson(`/api/campaigns/${encodeURIComponent(key)}/leads`),
  ]);
  document.title = `closeloop · ${c.name}`;
  $('name').textContent = c.name;
  renderFigures(c, portal);
  draw('close-curve-chart', curveConfig(c.closeCurve, PALETTE[0], 'Won'));
  draw('opportunity-curve-chart', curveConfig(c.opportunityCurve, PALETTE[1], 'Opportunity'));
  renderLeads(leads, portal);
  $('status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded ?? '0') + 1);
}

function wireSpend() {
  $('spend-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const month = /** @type {HTMLInputElement} */ ($('spend-month')).value;
    const amount = Number(/** @type {HTMLInputElement} */ ($('spend-amount')).value);
    // PUT replaces the campaign's spend: keep every other period, replace this month's.
    const current = await getJson(`/api/campaigns/${encodeURIComponent(key)}/spend`);
    const [year, monthNumber] = month.split('-').map(Number);
    const first = `${month}-01`;
    const last = new Date(Date.UTC(year ?? 1970, monthNumber ?? 1, 0)).toISOString().slice(0, 10);
    const others = current.filter((/** @type {any} */ p) => p.to < first || p.from > last);
    const response = await fetch(`/api/campaigns/${encodeURIComponent(key)}/spend`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-closeloop-csrf': csrfToken() },
      body: JSON.stringify([...others, { month, amount }]),
    });
    $('spend-status').textContent = response.ok
      ? `Spend for ${month} saved.`
      : `Not saved: ${(await response.json()).message}`;
  });
}

async function start() {
  const portal = await getJson('/api/portal');
  wireSpend();
  onFiguresChanged(() => load(portal));
  await load(portal);
}

start().catch((error) => {
  $('status').textContent = `Could not load the campaign: ${error.message}`;
});
