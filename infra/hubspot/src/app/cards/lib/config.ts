// Where the card finds closeloop. The value is set once, at deploy time, as a variable of the
// HubSpot project's config profile (src/hsprofile.<name>.json, uploaded with
// `hs project upload --profile <name>`). The same variable fills `permittedUrls.fetch` in
// app-hsmeta.json, and HubSpot hands profile variables to the card as `context.variables`.

export const BASE_URL_VARIABLE = 'CLOSELOOP_BASE_URL';

/** The entry app-hsmeta.json must list in `permittedUrls.fetch` for `hubspot.fetch` to reach closeloop. */
export const PERMITTED_FETCH_URL = `\${${BASE_URL_VARIABLE}}`;

export type BaseUrlResult = { ok: true; baseUrl: string } | { ok: false; problem: string };

type ProfileVariables = Record<string, string | number | bigint | boolean> | undefined;

/** Reads and checks the base URL: https, no query or fragment, no trailing slash. */
export function resolveBaseUrl(variables: ProfileVariables): BaseUrlResult {
  const raw = variables?.[BASE_URL_VARIABLE];
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { ok: false, problem: `The profile variable ${BASE_URL_VARIABLE} is not set.` };
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, problem: `${BASE_URL_VARIABLE} is not a URL.` };
  }
  if (url.protocol !== 'https:') {
    return {
      ok: false,
      problem: `${BASE_URL_VARIABLE} must start with https:// (HubSpot fetches over HTTPS only).`,
    };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, problem: `${BASE_URL_VARIABLE} must not carry a query or a fragment.` };
  }
  return { ok: true, baseUrl: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
}
