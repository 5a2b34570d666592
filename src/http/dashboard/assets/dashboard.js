// @ts-check
import {
  alignmentChart,
  calibrationChart,
  costChart,
  curvesChart,
  funnelChart,
  timeChart,
} from './charts.js';
import { fillDefinitions, getJson, money, number, onFiguresChanged, percent, uncertainty } from './format.js';
import { renderTable, sortRows } from './table.js';

const state = {
  /** @type {any[]} */ campaigns: [],
  /** @type {any} */ portal: null,
  sort: { key: 'leads', direction: /** @type {'ascending'|'descending'} */ ('descending') },
  /** @type {Set<string>} */ selected: new Set(),
  filter: '',
  hideUncertain: false,
  from: '',
  to: '',
};

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

function cohortQuery() {
  const params = new URLSearchParams();
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  const query = params.toString();
  return query ? `?${query}` : '';
}

function visibleRows() {
  const needle = state.filter.trim().toLowerCase();
  const rows = state.campaigns.filter(
    (c) => (!needle || c.name.toLowerCase().includes(needle)) && !(state.hideUncertain && uncertainty(c)),
  );
  return sortRows(rows, state.sort.key, state.sort.direction);
}

function renderSummary() {
  const total = (/** @type {string} */ key) => state.campaigns.reduce((sum, c) => sum + (c[key] ?? 0), 0);
  const currency = state.portal?.currency ?? '';
  const entries = [
    ['Leads', number(total('leads'))],
    ['Opportunities', number(total('opportunities'))],
    ['Won', number(total('won'))],
    ['Revenue', money(total('revenue'), currency)],
    ['Campaigns', number(state.campaigns.length)],
  ];
  fillDefinitions($('summary'), /** @type {[string, string][]} */ (entries));
  const aligned = state.campaigns.filter((c) => c.alignmentIndex !== null && c.leads >= 30);
  const best = [...aligned].sort((a, b) => b.alignmentIndex - a.alignmentIndex)[0];
  const worst = [...aligned].sort((a, b) => a.alignmentIndex - b.alignmentIndex)[0];
  $('story').textContent =
    best && worst && best !== worst
      ? `${best.name} brings ${best.alignmentIndex.toFixed(1)}× the revenue its share of leads suggests; ${worst.name} brings ${worst.alignmentIndex.toFixed(2)}× (${percent(worst.leads / total('leads'), 0)} of all leads).`
      : '';
}

function renderTableNow() {
  const table = /** @type {HTMLTableElement} */ ($('campaigns'));
  renderTable(
    table,
    visibleRows(),
    state.sort,
    onSort,
    state.selected,
    onSelect,
    state.portal?.currency ?? '',
  );
}

/** @param {string} key */
function onSort(key) {
  state.sort =
    state.sort.key === key
      ? { key, direction: state.sort.direction === 'ascending' ? 'descending' : 'ascending' }
      : { key, direction: key === 'name' ? 'ascending' : 'descending' };
  renderTableNow();
  /** @type {HTMLButtonElement | null} */ (document.querySelector(`button[data-sort="${key}"]`))?.focus();
}

/** @param {string} key @param {boolean} on */
function onSelect(key, on) {
  if (on) state.selected.add(key);
  else state.selected.delete(key);
  void renderCurves();
}

async function renderCurves() {
  const query = cohortQuery();
  const details = await Promise.all(
    [...state.selected]
      .slice(0, 6)
      .map((key) => getJson(`/api/campaigns/${encodeURIComponent(key)}${query}`)),
  );
  curvesChart(details);
}

async function load() {
  const query = cohortQuery();
  const [campaigns, calibration] = await Promise.all([
    getJson(`/api/campaigns${query}`),
    getJson('/api/calibration').catch(() => null),
  ]);
  state.campaigns = campaigns;
  if (state.selected.size === 0)
    for (const c of campaigns.filter((c) => !uncertainty(c)).slice(0, 3)) state.selected.add(c.campaign);
  renderSummary();
  renderTableNow();
  const byLeads = [...campaigns].sort((a, b) => b.leads - a.leads);
  alignmentChart(byLeads);
  funnelChart(byLeads);
  timeChart(byLeads);
  costChart(byLeads);
  if (calibration) {
    calibrationChart(calibration);
    $('calibration-caption').textContent =
      `Scores given with what was known ${state.portal?.horizonDays ?? ''} days ago, against what happened since. Brier score ${calibration.brier?.toFixed(4) ?? '–'} (no-skill ${calibration.baselineBrier?.toFixed(4) ?? '–'}).`;
  }
  await renderCurves();
  /** @type {HTMLAnchorElement} */ ($('csv')).href = `/api/campaigns.csv${query}`;
  $('status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded ?? '0') + 1);
}

function wire() {
  $('filter').addEventListener('input', (event) => {
    state.filter = /** @type {HTMLInputElement} */ (event.target).value;
    renderTableNow();
  });
  $('hide-uncertain').addEventListener('change', (event) => {
    state.hideUncertain = /** @type {HTMLInputElement} */ (event.target).checked;
    renderTableNow();
  });
  for (const id of ['from', 'to']) {
    $(id).addEventListener('change', (event) => {
      state[/** @type {'from'|'to'} */ (id)] = /** @type {HTMLInputElement} */ (event.target).value;
      void load();
    });
  }
  onFiguresChanged(load);
}

async function start() {
  state.portal = await getJson('/api/portal');
  wire();
  await load();
}

start().catch((error) => {
  $('status').textContent = `Could not load the figures: ${error.message}`;
});
