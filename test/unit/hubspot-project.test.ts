import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIFECYCLE_STAGES,
  defaultStageDateProperties,
  formatJson,
  legacySubscriptions,
  OBJECT_EVENTS,
  type ProjectInput,
  profileContent,
  projectFiles,
} from '../../src/commands/hubspot-project-files.ts';
import { loadConfig } from '../../src/config.ts';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../src/hubspot/scopes.ts';
import {
  contactPropertiesRead,
  DEAL_PROPERTIES_READ,
  isTrackedProperty,
} from '../../src/hubspot/tracked-properties.ts';
import { parseSubscriptions } from '../../src/sandbox/webhooks/subscriptions.ts';

const PROJECT_DIR = resolve(import.meta.dirname, '../../infra/hubspot');
const REGENERATE = 'node src/cli.ts hubspot-project --default-portal';
// HubSpot's CLI fills this in from the config profile; it must reach HubSpot verbatim.
const PLACEHOLDER = `\${CLOSELOOP_BASE_URL}`;

type CrmSubscription = {
  subscriptionType: string;
  objectType: string;
  propertyName?: string;
  active: boolean;
};
type WebhooksMeta = {
  config: {
    settings: { targetUrl: string; maxConcurrentRequests: number };
    subscriptions: {
      crmObjects: CrmSubscription[];
      legacyCrmObjects: unknown[];
      hubEvents: { subscriptionType: string }[];
    };
  };
};

function inputFor(env: Record<string, string>, stageDateProperties = defaultStageDateProperties()) {
  return { tracked: loadConfig(env).metrics, stageDateProperties } satisfies ProjectInput;
}

function generated(input: ProjectInput, path: string) {
  const file = projectFiles(input).find((candidate) => candidate.path === path);
  if (!file) throw new Error(`no ${path} generated`);
  return file.content;
}

function webhooks(input: ProjectInput): WebhooksMeta {
  return JSON.parse(generated(input, 'src/app/webhooks/webhooks-hsmeta.json'));
}

function propertiesOf(meta: WebhooksMeta, objectType: string): string[] {
  return meta.config.subscriptions.crmObjects
    .filter((s) => s.objectType === objectType && s.subscriptionType === 'object.propertyChange')
    .map((s) => s.propertyName ?? '');
}

const CUSTOM_PORTAL = {
  lead: 'hs_v2_date_entered_lead',
  '1234567': 'hs_v2_date_entered_1234567',
  demo_booked: 'hs_lifecyclestage_demo_booked_date',
  opportunity: 'hs_lifecyclestage_opportunity_date',
};
const CUSTOM_ENV = {
  CAMPAIGN_PROPERTIES: 'utm_campaign,closeloop_campaign',
  LEAD_DATE_PROPERTY: 'became_lead_at',
};

describe('the committed HubSpot project', () => {
  it.each(['hsproject.json', 'src/app/app-hsmeta.json', 'src/app/webhooks/webhooks-hsmeta.json'])(
    '%s is exactly what the generator writes for the default configuration and portal',
    (path) => {
      const committed = readFileSync(resolve(PROJECT_DIR, path), 'utf8');
      expect(committed, `${path} is out of date: run \`${REGENERATE}\` and commit the result`).toBe(
        generated(inputFor({}), path),
      );
    },
  );

  it('is a project on platform 2026.03 whose app is private, with a static token and the scopes of scopes.ts', () => {
    const project = JSON.parse(generated(inputFor({}), 'hsproject.json'));
    expect(project).toEqual({ name: 'closeloop', srcDir: 'src', platformVersion: '2026.03' });
    const app = JSON.parse(generated(inputFor({}), 'src/app/app-hsmeta.json'));
    expect(app.config).toMatchObject({ distribution: 'private', auth: { type: 'static' } });
    expect(app.config.auth.requiredScopes).toEqual(REQUIRED_SCOPES.map((need) => need.scope));
    expect(app.config.auth.optionalScopes).toEqual(OPTIONAL_SCOPES.map((need) => need.scope));
    expect(app.config.permittedUrls.fetch).toEqual([PLACEHOLDER]);
  });

  it('names each scope once, with a reason', () => {
    const all = [...REQUIRED_SCOPES, ...OPTIONAL_SCOPES];
    expect(new Set(all.map((need) => need.scope)).size).toBe(all.length);
    for (const need of all) expect(need.why.length).toBeGreaterThan(20);
  });
});

describe('webhook subscriptions', () => {
  const cases: [string, Record<string, string>, Record<string, string>][] = [
    ['default configuration and portal', {}, defaultStageDateProperties()],
    ['custom campaign and lead-date properties, custom and legacy stages', CUSTOM_ENV, CUSTOM_PORTAL],
  ];

  it.each(cases)('%s: target, concurrency, every object event and privacy deletion', (_, env, stages) => {
    const meta = webhooks(inputFor(env, stages));
    expect(meta.config.settings).toEqual({
      targetUrl: `${PLACEHOLDER}/webhooks/hubspot`,
      maxConcurrentRequests: 10,
    });
    for (const objectType of ['contact', 'deal'])
      for (const event of [...OBJECT_EVENTS, 'propertyChange'])
        expect(meta.config.subscriptions.crmObjects).toContainEqual(
          expect.objectContaining({ subscriptionType: `object.${event}`, objectType, active: true }),
        );
    expect(meta.config.subscriptions.hubEvents).toEqual([
      { subscriptionType: 'contact.privacyDeletion', active: true },
    ]);
  });

  it.each(cases)(
    '%s: every subscribed property passes the receiver filter, none is closeloop’s',
    (_, env, stages) => {
      const input = inputFor(env, stages);
      const meta = webhooks(input);
      for (const objectType of ['contact', 'deal'] as const)
        for (const name of propertiesOf(meta, objectType)) {
          expect(isTrackedProperty(objectType, name, input.tracked), `${objectType}.${name}`).toBe(true);
          expect(name).not.toMatch(/^closeloop_/);
        }
    },
  );

  it.each(cases)('%s: every property closeloop reads has exactly one subscription', (_, env, stages) => {
    const input = inputFor(env, stages);
    const meta = webhooks(input);
    const contactReads = [...contactPropertiesRead(input.tracked), ...Object.values(stages)].filter(
      (name) => !name.startsWith('closeloop_'),
    );
    expect(propertiesOf(meta, 'contact')).toEqual([...new Set(contactReads)].sort());
    expect(propertiesOf(meta, 'deal')).toEqual([...DEAL_PROPERTIES_READ].sort());
  });

  it('subscribes to the portal’s stage-entry dates and the configured campaign and lead-date properties', () => {
    const contact = propertiesOf(webhooks(inputFor(CUSTOM_ENV, CUSTOM_PORTAL)), 'contact');
    expect(contact).toEqual(
      expect.arrayContaining([
        'utm_campaign',
        'became_lead_at',
        'hs_v2_date_entered_1234567',
        'hs_lifecyclestage_demo_booked_date',
        'hs_lifecyclestage_opportunity_date',
      ]),
    );
    expect(contact).not.toContain('closeloop_campaign');
    expect(contact).not.toContain('hs_v2_date_entered_customer');
    const defaults = propertiesOf(webhooks(inputFor({})), 'contact');
    for (const stage of DEFAULT_LIFECYCLE_STAGES) expect(defaults).toContain(`hs_v2_date_entered_${stage}`);
  });

  it('does not depend on the order the portal lists its stages in', () => {
    const reversed = Object.fromEntries(Object.entries(CUSTOM_PORTAL).reverse());
    expect(projectFiles(inputFor(CUSTOM_ENV, reversed))).toEqual(
      projectFiles(inputFor(CUSTOM_ENV, CUSTOM_PORTAL)),
    );
  });

  it('is read by the sandbox as the same subscriptions', () => {
    const meta = webhooks(inputFor({}));
    const parsed = parseSubscriptions(meta.config.subscriptions);
    expect(parsed).toHaveLength(meta.config.subscriptions.crmObjects.length + 1);
  });

  it('lists the same subscriptions for a legacy private app, in its own names', () => {
    const input = inputFor(CUSTOM_ENV, CUSTOM_PORTAL);
    const lines = legacySubscriptions(input);
    const meta = webhooks(input);
    expect(lines).toContain('contact.privacyDeletion');
    expect(lines).toContain('deal.associationChange');
    expect(lines).toContain('contact.propertyChange hs_lifecyclestage_demo_booked_date');
    expect(lines.filter((line) => line.includes('.propertyChange '))).toEqual(
      meta.config.subscriptions.crmObjects
        .filter((s) => s.propertyName)
        .map((s) => `${s.objectType}.propertyChange ${s.propertyName}`),
    );
    expect(lines).toHaveLength(meta.config.subscriptions.crmObjects.length + 1);
  });
});

describe('file format', () => {
  it('is 2-space JSON ending in a newline, arrays of plain values on one line when they fit', () => {
    const value = { a: { b: [] as string[], c: ['x', 'y'], d: [{ e: 1 }] }, f: {} };
    expect(formatJson(value)).toBe(
      '{\n  "a": {\n    "b": [],\n    "c": ["x", "y"],\n    "d": [\n      {\n        "e": 1\n      }\n    ]\n  },\n  "f": {}\n}\n',
    );
    const long = { list: Array.from({ length: 12 }, (_, i) => `scope.number.${i}`) };
    expect(formatJson(long)).toBe(`${JSON.stringify(long, null, 2)}\n`);
    expect(JSON.parse(formatJson(long))).toEqual(long);
  });

  it('writes a config profile with the account, the base URL, and any other variables kept', () => {
    expect(JSON.parse(profileContent(123, 'https://closeloop.example.com', { OTHER: 'x' }))).toEqual({
      accountId: 123,
      variables: { OTHER: 'x', CLOSELOOP_BASE_URL: 'https://closeloop.example.com' },
    });
    expect(JSON.parse(profileContent(undefined, 'https://c.example.com'))).toEqual({
      variables: { CLOSELOOP_BASE_URL: 'https://c.example.com' },
    });
  });
});
