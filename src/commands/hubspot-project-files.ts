import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../hubspot/scopes.ts';
import {
  contactPropertiesRead,
  DEAL_PROPERTIES_READ,
  isOwnProperty,
  isTrackedProperty,
  type TrackedPropertySettings,
} from '../hubspot/tracked-properties.ts';

/**
 * The HubSpot project's files, generated from what closeloop reads, so the webhook subscriptions
 * cannot drift from the receiver's filter and the sync's reads. Pure: the command writes them.
 */

/** HubSpot's default lifecycle stages (`other` sits outside the funnel and has no entry date we use). */
export const DEFAULT_LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
] as const;

/** Stage → entry-date property of a current portal with the default stages. */
export function defaultStageDateProperties(): Record<string, string> {
  return Object.fromEntries(DEFAULT_LIFECYCLE_STAGES.map((stage) => [stage, `hs_v2_date_entered_${stage}`]));
}

export interface ProjectInput {
  readonly tracked: TrackedPropertySettings;
  /** Stage → entry-date property, as `PortalSettings.stageDateProperties`. */
  readonly stageDateProperties: Readonly<Record<string, string>>;
}

export interface ProjectFile {
  /** Relative to the project folder (the one holding `hsproject.json`). */
  readonly path: string;
  readonly content: string;
}

export const OBJECT_EVENTS = ['creation', 'deletion', 'merge', 'restore', 'associationChange'] as const;
const OBJECTS = ['contact', 'deal'] as const;
type ObjectName = (typeof OBJECTS)[number];

/** The profile variable naming closeloop's public URL; the HubSpot CLI fills `${…}` in at upload. */
export const BASE_URL_VARIABLE = 'CLOSELOOP_BASE_URL';
export const BASE_URL_PLACEHOLDER = `\${${BASE_URL_VARIABLE}}`;
export const WEBHOOK_PATH = '/webhooks/hubspot';
const MAX_CONCURRENT_REQUESTS = 10;

export interface SubscribedProperties {
  readonly contact: readonly string[];
  readonly deal: readonly string[];
  /** Detected properties the receiver would drop on arrival, so subscribing to them is pointless. */
  readonly skipped: readonly string[];
}

/**
 * Exactly the properties closeloop reads, sorted: the contact read list and the portal's stage-entry
 * dates, and the deal read list. Never closeloop's own properties: their write-backs would echo.
 */
export function subscribedProperties(input: ProjectInput): SubscribedProperties {
  const contact = [...contactPropertiesRead(input.tracked), ...Object.values(input.stageDateProperties)];
  const candidates: Record<ObjectName, string[]> = { contact, deal: [...DEAL_PROPERTIES_READ] };
  const skipped: string[] = [];
  const keep = (object: ObjectName) =>
    [...new Set(candidates[object])]
      .filter((name) => {
        const useful = !isOwnProperty(name) && isTrackedProperty(object, name, input.tracked);
        if (!useful) skipped.push(name);
        return useful;
      })
      .sort();
  return { contact: keep('contact'), deal: keep('deal'), skipped };
}

function crmObjectSubscriptions(properties: SubscribedProperties) {
  return OBJECTS.flatMap((objectType) => [
    ...OBJECT_EVENTS.map((event) => ({ subscriptionType: `object.${event}`, objectType, active: true })),
    ...properties[objectType].map((propertyName) => ({
      subscriptionType: 'object.propertyChange',
      objectType,
      propertyName,
      active: true,
    })),
  ]);
}

function webhooksMeta(input: ProjectInput) {
  return {
    uid: 'closeloop_webhooks',
    type: 'webhooks',
    config: {
      settings: {
        targetUrl: `${BASE_URL_PLACEHOLDER}${WEBHOOK_PATH}`,
        maxConcurrentRequests: MAX_CONCURRENT_REQUESTS,
      },
      subscriptions: {
        crmObjects: crmObjectSubscriptions(subscribedProperties(input)),
        legacyCrmObjects: [],
        // HubSpot also sends a deletion for it, in any order; closeloop must erase the contact either way.
        hubEvents: [{ subscriptionType: 'contact.privacyDeletion', active: true }],
      },
    },
  };
}

function appMeta() {
  return {
    uid: 'closeloop_app',
    type: 'app',
    config: {
      name: 'closeloop',
      description:
        'Links marketing leads to closed sales: campaign close rates with honest intervals, and lead scores written onto contacts and deals.',
      distribution: 'private',
      auth: {
        type: 'static',
        redirectUrls: [],
        requiredScopes: REQUIRED_SCOPES.map((need) => need.scope),
        optionalScopes: OPTIONAL_SCOPES.map((need) => need.scope),
        conditionallyRequiredScopes: [],
      },
      // The card's hubspot.fetch reaches only the URLs listed here.
      permittedUrls: { fetch: [BASE_URL_PLACEHOLDER], iframe: [], img: [] },
    },
  };
}

/** The project's files in a fixed order and format. */
export function projectFiles(input: ProjectInput): ProjectFile[] {
  return [
    {
      path: 'hsproject.json',
      content: formatJson({ name: 'closeloop', srcDir: 'src', platformVersion: '2026.03' }),
    },
    { path: 'src/app/app-hsmeta.json', content: formatJson(appMeta()) },
    { path: 'src/app/webhooks/webhooks-hsmeta.json', content: formatJson(webhooksMeta(input)) },
  ];
}

/**
 * The subscriptions as a legacy private app's Webhooks tab takes them (by hand: they cannot be set
 * by API), one per line, with HubSpot's legacy names (`contact.propertyChange`).
 */
export function legacySubscriptions(input: ProjectInput): string[] {
  const properties = subscribedProperties(input);
  return OBJECTS.flatMap((object) => [
    ...OBJECT_EVENTS.map((event) => `${object}.${event}`),
    ...(object === 'contact' ? ['contact.privacyDeletion'] : []),
    ...properties[object].map((name) => `${object}.propertyChange ${name}`),
  ]);
}

/** A HubSpot CLI config profile: the account it uploads to and the variables the files use. */
export function profileContent(
  accountId: number | undefined,
  baseUrl: string,
  existingVariables: Readonly<Record<string, unknown>> = {},
): string {
  const variables = { ...existingVariables, [BASE_URL_VARIABLE]: baseUrl };
  return formatJson(accountId === undefined ? { variables } : { accountId, variables });
}

// The committed files are also checked by the repository's formatter (Biome): objects stay
// expanded, and an array of plain values goes on one line when that line fits in its width.
const LINE_WIDTH = 110;

/** 2-space JSON with a trailing newline, laid out as the repository's formatter lays it out. */
export function formatJson(value: unknown): string {
  return `${layout(value, '', 0)}\n`;
}

function layout(value: unknown, indent: string, used: number): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    const plain = value.every((item) => item === null || typeof item !== 'object');
    if (plain && used + flat.length <= LINE_WIDTH) return flat;
    const items = value.map((item, i) => {
      const comma = i < value.length - 1 ? 1 : 0;
      return `${inner}${layout(item, inner, inner.length + comma)}`;
    });
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([key, item], i) => {
      const head = `${inner}${JSON.stringify(key)}: `;
      const comma = i < entries.length - 1 ? 1 : 0;
      return `${head}${layout(item, inner, head.length + comma)}`;
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
