// @ts-check
// Carries ?next= into the form and shows a failed attempt; no data of the dashboard is here.
const params = new URLSearchParams(location.search);
const next = params.get('next');
const nextField = /** @type {HTMLInputElement} */ (document.getElementById('next'));
if (next?.startsWith('/') && !next.startsWith('//')) nextField.value = next;
if (params.has('failed')) document.getElementById('failed').hidden = false;
