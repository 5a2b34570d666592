// @ts-check
import { money, number, percent, uncertainty } from './format.js';

/** @typedef {{ key: string, label: string, value: (c: any) => number | string | null, cell: (c: any, currency: string) => string | Node, numeric?: boolean }} Column */

/** @param {any} c */
function intervalBar(c) {
  const rate = c.closeRateAtHorizon;
  const wrap = document.createElement('span');
  wrap.className = 'interval';
  const text = document.createElement('span');
  text.textContent =
    rate.rate === null
      ? 'too young'
      : `${percent(rate.rate)} (${percent(rate.low, 0)}–${percent(rate.high, 0)})`;
  wrap.append(text);
  if (rate.rate !== null) {
    // A 0–50 % scale: close rates above it are rare and still drawn to the edge.
    const scale = (/** @type {number} */ v) => `${Math.min(100, v * 200).toFixed(1)}%`;
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', 'bar');
    svg.setAttribute('aria-hidden', 'true');
    svg.innerHTML = `<line x1="${scale(rate.low)}" x2="${scale(rate.high)}" y1="50%" y2="50%"></line><circle cx="${scale(rate.rate)}" cy="50%" r="3.5"></circle>`;
    wrap.append(svg);
  }
  return wrap;
}

/** @param {any} c */
function nameCell(c) {
  const cell = document.createElement('span');
  const link = document.createElement('a');
  link.href = `/campaigns/${encodeURIComponent(c.campaign)}`;
  link.textContent = c.name;
  cell.append(link);
  const why = uncertainty(c);
  if (why) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = 'uncertain';
    badge.title = why;
    badge.setAttribute('aria-label', `uncertain: ${why}`);
    cell.append(' ', badge);
  }
  return cell;
}

/** @type {Column[]} */
export const COLUMNS = [
  { key: 'name', label: 'Campaign', value: (c) => c.name, cell: nameCell },
  { key: 'leads', label: 'Leads', value: (c) => c.leads, cell: (c) => number(c.leads), numeric: true },
  {
    key: 'opportunities',
    label: 'Opportunities',
    value: (c) => c.opportunities,
    cell: (c) => number(c.opportunities),
    numeric: true,
  },
  { key: 'won', label: 'Won', value: (c) => c.won, cell: (c) => number(c.won), numeric: true },
  {
    key: 'revenue',
    label: 'Revenue',
    value: (c) => c.revenue,
    cell: (c, currency) => money(c.revenue, currency),
    numeric: true,
  },
  {
    key: 'closeRate',
    label: 'Close rate (95 % CI)',
    value: (c) => c.closeRateAtHorizon.rate,
    cell: intervalBar,
    numeric: true,
  },
  {
    key: 'maturity',
    label: 'Maturity',
    value: (c) => c.closeRateAtHorizon.maturity,
    cell: (c) => percent(c.closeRateAtHorizon.maturity, 0),
    numeric: true,
  },
  {
    key: 'alignment',
    label: 'Alignment',
    value: (c) => c.alignmentIndex,
    cell: (c) => (c.alignmentIndex === null ? '–' : c.alignmentIndex.toFixed(2)),
    numeric: true,
  },
  {
    key: 'costPerLead',
    label: 'Cost per lead',
    value: (c) => c.costPerLead,
    cell: (c, currency) => money(c.costPerLead, currency),
    numeric: true,
  },
  {
    key: 'costPerWon',
    label: 'Cost per won deal',
    value: (c) => c.costPerWon,
    cell: (c, currency) => money(c.costPerWon, currency),
    numeric: true,
  },
];

/**
 * Sorts by a column; unknown values (null) always last.
 * @param {any[]} rows @param {string} key @param {'ascending'|'descending'} direction
 */
export function sortRows(rows, key, direction) {
  const column = COLUMNS.find((c) => c.key === key) ?? COLUMNS[1];
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = column?.value(a);
    const y = column?.value(b);
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    return typeof x === 'string' ? sign * x.localeCompare(String(y)) : sign * (Number(x) - Number(y));
  });
}

/**
 * Renders the header with sort buttons (keyboard-operable, aria-sort) and the rows.
 * @param {HTMLTableElement} table @param {any[]} rows @param {{ key: string, direction: 'ascending'|'descending' }} sort
 * @param {(key: string) => void} onSort @param {Set<string>} selected @param {(key: string, on: boolean) => void} onSelect
 */
export function renderTable(table, rows, sort, onSort, selected, onSelect, currency = '') {
  const head = /** @type {HTMLTableSectionElement} */ (table.tHead);
  head.replaceChildren();
  const headRow = head.insertRow();
  const pick = document.createElement('th');
  pick.scope = 'col';
  pick.innerHTML = '<span class="visually-hidden">Show curve</span>';
  headRow.append(pick);
  for (const column of COLUMNS) {
    const th = document.createElement('th');
    th.scope = 'col';
    if (column.numeric) th.className = 'num';
    th.setAttribute('aria-sort', sort.key === column.key ? sort.direction : 'none');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.sort = column.key;
    button.textContent = column.label;
    button.addEventListener('click', () => onSort(column.key));
    th.append(button);
    headRow.append(th);
  }
  const body = table.tBodies[0] ?? table.createTBody();
  body.replaceChildren(...rows.map((row) => renderRow(row, selected, onSelect, currency)));
}

/** @param {any} row @param {Set<string>} selected @param {(key: string, on: boolean) => void} onSelect */
function renderRow(row, selected, onSelect, currency = '') {
  const tr = document.createElement('tr');
  tr.dataset.campaign = row.campaign;
  const pickCell = tr.insertCell();
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = selected.has(row.campaign);
  box.setAttribute('aria-label', `Show the close-rate curve of ${row.name}`);
  box.addEventListener('change', () => onSelect(row.campaign, box.checked));
  pickCell.append(box);
  for (const column of COLUMNS) {
    const cell = column.key === 'name' ? document.createElement('th') : tr.insertCell();
    if (column.key === 'name') {
      /** @type {HTMLTableCellElement} */ (cell).scope = 'row';
      tr.append(cell);
    }
    if (column.numeric) cell.className = 'num';
    cell.append(column.cell(row, currency));
  }
  return tr;
}
