// @ts-check
/** Formatting and small helpers shared by the dashboard's pages. */

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies and in greyscale print. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#000000',
];

/** @param {number | null | undefined} value a fraction 0–1 */
export function percent(value, digits = 1) {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(digits)} %`;
}

/** @param {number | null | undefined} value */
export function money(value, currency = '') {
  if (value === null || value === undefined) return '–';
  return `${Math.round(value).toLocaleString('en-US')}${currency ? ` ${currency}` : ''}`;
}

/** @param {number | null | undefined} value */
export function number(value) {
  return value === null || value === undefined ? '–' : value.toLocaleString('en-US');
}

/**
 * Why a campaign's figures should be read with care, or null when they are solid.
 * @param {any} campaign
 */
export function uncertainty(campaign) {
  const rate = campaign.closeRateAtHorizon;
  if (campaign.leads < 30) return 'fewer than 30 leads';
  if (rate.rate === null) return 'too young: no lead followed for the whole horizon yet';
  if (rate.maturity !== null && rate.maturity < 0.5)
    return 'less than half of its leads have had time to close';
  if (rate.high - rate.low > 0.2) return 'its interval is wider than 20 points';
  return null;
}

/**
 * Term/value pairs for a `<dl>`, each pair in its own `<div>` so they lay out as cards.
 * @param {HTMLElement} list @param {[string, string | number][]} entries
 */
export function fillDefinitions(list, entries) {
  list.replaceChildren(
    ...entries.map(([term, value]) => {
      const pair = document.createElement('div');
      pair.append(
        Object.assign(document.createElement('dt'), { textContent: term }),
        Object.assign(document.createElement('dd'), { textContent: String(value) }),
      );
      return pair;
    }),
  );
}

/** @param {string} path */
export async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (response.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    throw new Error('Signed out');
  }
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

/** Reads the CSRF cookie the login set, to send it back with changes (double submit). */
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)closeloop_csrf=([^;]+)/);
  return match ? decodeURIComponent(match[1] ?? '') : '';
}

/**
 * Calls `refresh` whenever the server says the figures changed (server-sent events), at most
 * every half second.
 * @param {() => Promise<void>} refresh
 */
export function onFiguresChanged(refresh) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const events = new EventSource('/api/events');
  events.addEventListener('figures', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 500);
  });
  return events;
}
