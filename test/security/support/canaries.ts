import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Secrets no output may hold, fresh per run so that none can be there by chance. The token and
 * the client secret look like HubSpot's; the dashboard token carries `+` and `/`, so that its
 * URL-encoded form differs from it.
 */
export function makeCanaries() {
  return {
    HUBSPOT_ACCESS_TOKEN: `pat-na1-${randomUUID()}`,
    HUBSPOT_CLIENT_SECRET: randomUUID(),
    DASHBOARD_TOKEN: `canary+${randomBytes(12).toString('base64url')}/dash`,
  };
}
export type Canaries = ReturnType<typeof makeCanaries>;

/**
 * The stretch of base64 that encoding `value` yields wherever it starts in a longer text, one per
 * alignment: the characters whose six bits all come from the value, none from its neighbours.
 */
function base64Cores(value: string, alphabet: 'base64' | 'base64url'): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [0, 1, 2].map((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString(alphabet);
    return encoded.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
  });
}

/** Every form a canary could leak in: as it is, percent-encoded, JSON-escaped, base64 at any alignment. */
export function canaryForms(value: string): Map<string, string> {
  const forms = new Map<string, string>([
    ['raw', value],
    ['url-encoded', encodeURIComponent(value)],
    ['form-encoded', new URLSearchParams({ v: value }).toString().slice(2)],
    ['json-escaped', JSON.stringify(value).slice(1, -1)],
  ]);
  for (const alphabet of ['base64', 'base64url'] as const)
    for (const [shift, core] of base64Cores(value, alphabet).entries())
      forms.set(`${alphabet}+${shift}`, core);
  return forms;
}

export interface Leak {
  readonly canary: string;
  readonly form: string;
  readonly where: string;
  /** Some text around the leak, to find its source. */
  readonly context: string;
}

/** Looks for every form of every canary in texts named by where they came from. */
export function canaryScanner(canaries: Canaries) {
  // A form equal to another (a canary URL-encoding leaves as it is) is looked for once.
  const patterns = Object.entries(canaries).flatMap(([name, value]) => {
    const forms = new Map([...canaryForms(value)].reverse().map(([form, text]) => [text, form]));
    return [...forms].map(([text, form]) => ({ name, form, text }));
  });
  return (where: string, content: string | Buffer): Leak[] => {
    const text = Buffer.isBuffer(content) ? content.toString('latin1') : content;
    const leaks: Leak[] = [];
    for (const { name, form, text: needle } of patterns) {
      const at = text.indexOf(needle);
      if (at >= 0)
        leaks.push({ canary: name, form, where, context: text.slice(Math.max(0, at - 80), at + 80) });
    }
    return leaks;
  };
}
