// @ts-check
import { PALETTE } from './format.js';

/** @type {Map<string, any>} */
const charts = new Map();

/** Creates the chart on first call and updates it in place afterwards (no flicker on live updates). */
function draw(/** @type {string} */ id, /** @type {any} */ config) {
  const existing = charts.get(id);
  if (existing) {
    existing.data = config.data;
    existing.options = config.options;
    existing.update();
    return existing;
  }
  const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById(id));
  // @ts-expect-error Chart comes from the vendored UMD build.
  const chart = new window.Chart(canvas, config);
  charts.set(id, chart);
  return chart;
}

const pct = (/** @type {number} */ value) => `${Math.round(value * 1000) / 10} %`;
const base = { responsive: true, maintainAspectRatio: false, animation: false };

/** @param {any[]} campaigns */
export function alignmentChart(campaigns) {
  const totalLeads = campaigns.reduce((sum, c) => sum + c.leads, 0) || 1;
  const totalRevenue = campaigns.reduce((sum, c) => sum + c.revenue, 0) || 1;
  const top = campaigns.slice(0, 15);
  return draw('alignment-chart', {
    type: 'bar',
    data: {
      labels: top.map((c) => c.name),
      datasets: [
        { label: 'Share of leads', data: top.map((c) => c.leads / totalLeads), backgroundColor: PALETTE[5] },
        {
          label: 'Share of revenue',
          data: top.map((c) => c.revenue / totalRevenue),
          backgroundColor: PALETTE[0],
        },
      ],
    },
    options: {
      ...base,
      indexAxis: 'y',
      scales: { x: { ticks: { callback: pct } } },
      plugins: {
        tooltip: { callbacks: { label: (/** @type {any} */ c) => `${c.dataset.label}: ${pct(c.raw)}` } },
      },
    },
  });
}

/** @param {{ name: string, closeCurve: { day: number, rate: number|null, low: number|null, high: number|null }[] }[]} selected */
export function curvesChart(selected) {
  const datasets = selected.flatMap((campaign, index) => {
    const color = PALETTE[index % PALETTE.length];
    const points = (/** @type {'rate'|'low'|'high'} */ key) =>
      campaign.closeCurve.map((p) => ({ x: p.day, y: p[key] }));
    return [
      {
        label: `${campaign.name} (low)`,
        data: points('low'),
        borderWidth: 0,
        pointRadius: 0,
        fill: false,
        borderColor: 'transparent',
      },
      {
        label: `${campaign.name} (95 % band)`,
        data: points('high'),
        borderWidth: 0,
        pointRadius: 0,
        fill: '-1',
        backgroundColor: `${color}33`,
        borderColor: 'transparent',
      },
      {
        label: campaign.name,
        data: points('rate'),
        borderColor: color,
        backgroundColor: color,
        pointRadius: 0,
        borderWidth: 2,
        borderDash: index % 2 ? [6, 3] : [],
      },
    ];
  });
  return draw('curves-chart', {
    type: 'line',
    data: { datasets },
    options: {
      ...base,
      parsing: false,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'days since lead' } },
        y: { min: 0, ticks: { callback: pct } },
      },
      plugins: {
        legend: {
          labels: {
            filter: (/** @type {any} */ item) => !item.text.endsWith('(low)') && !item.text.endsWith('band)'),
          },
        },
      },
    },
  });
}

/** @param {any[]} campaigns */
export function funnelChart(campaigns) {
  const top = campaigns.slice(0, 10);
  return draw('funnel-chart', {
    type: 'bar',
    data: {
      labels: top.map((c) => c.name),
      datasets: [
        { label: 'Leads', data: top.map((c) => c.leads), backgroundColor: PALETTE[5] },
        { label: 'Opportunities', data: top.map((c) => c.opportunities), backgroundColor: PALETTE[1] },
        { label: 'Won', data: top.map((c) => c.won), backgroundColor: PALETTE[2] },
      ],
    },
    options: { ...base, scales: { y: { type: 'logarithmic' } } },
  });
}

/** @param {any[]} campaigns */
export function timeChart(campaigns) {
  const withTimes = campaigns.filter((c) => c.daysToClose && c.daysToClose.median !== null).slice(0, 15);
  return draw('time-chart', {
    type: 'bar',
    data: {
      labels: withTimes.map((c) => c.name),
      datasets: [
        {
          type: 'bar',
          label: 'Middle half (days)',
          data: withTimes.map((c) => [c.daysToClose.q1, c.daysToClose.q3]),
          backgroundColor: `${PALETTE[0]}66`,
        },
        {
          type: 'scatter',
          label: 'Median (days)',
          data: withTimes.map((c, i) => ({ x: c.daysToClose.median, y: i })),
          backgroundColor: PALETTE[3],
          pointStyle: 'circle',
          pointRadius: 4,
        },
      ],
    },
    options: {
      ...base,
      indexAxis: 'y',
      scales: { x: { title: { display: true, text: 'days from opportunity to won' } } },
    },
  });
}

/** @param {any[]} campaigns */
export function costChart(campaigns) {
  const priced = campaigns.filter(
    (c) => c.costPerLead !== null && c.costPerExpectedWon && c.costPerExpectedWon.value !== null,
  );
  return draw('cost-chart', {
    type: 'scatter',
    data: {
      datasets: priced.map((c, index) => ({
        label: c.name,
        data: [{ x: c.costPerLead, y: c.costPerExpectedWon.value }],
        backgroundColor: PALETTE[index % PALETTE.length],
        // 'star' and 'crossRot' are drawn with the border only: without it they are all but invisible.
        borderColor: PALETTE[index % PALETTE.length],
        pointStyle: ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot'][index % 6],
        pointRadius: 6,
      })),
    },
    options: {
      ...base,
      scales: {
        x: { title: { display: true, text: 'cost per lead' } },
        y: { type: 'logarithmic', title: { display: true, text: 'cost per expected won deal' } },
      },
    },
  });
}

/** @param {{ bands: { low: number, high: number, predicted: number|null, observed: number|null, count: number }[] }} calibration */
export function calibrationChart(calibration) {
  const bands = calibration.bands.filter((band) => band.count > 0);
  return draw('calibration-chart', {
    type: 'scatter',
    data: {
      datasets: [
        {
          label: 'Score bands',
          data: bands.map((band) => ({ x: band.predicted, y: band.observed, count: band.count })),
          backgroundColor: PALETTE[0],
          pointRadius: 6,
        },
        {
          type: 'line',
          label: 'Perfectly calibrated',
          data: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
          borderColor: PALETTE[7],
          borderDash: [4, 4],
          pointRadius: 0,
        },
      ],
    },
    options: {
      ...base,
      scales: {
        x: { min: 0, max: 1, title: { display: true, text: 'predicted' }, ticks: { callback: pct } },
        y: { min: 0, max: 1, title: { display: true, text: 'observed' }, ticks: { callback: pct } },
      },
    },
  });
}
