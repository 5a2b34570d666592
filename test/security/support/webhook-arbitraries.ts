import fc from 'fast-check';

/** Fields of a HubSpot webhook event, as a plain record to mutate. */
export type RawEvent = Record<string, unknown>;

let nextEventId = 1;

/**
 * The delivery with an event id never sent before on each event. Ids are stamped when a delivery
 * is sent, not when it is generated: fast-check replays the same generated events while it
 * shrinks, and a replayed event is (rightly) answered 204 as a duplicate and enqueues nothing.
 */
export function withFreshEventIds(events: readonly RawEvent[]): RawEvent[] {
  return events.map((event) => ({ ...event, eventId: nextEventId++ }));
}

const safeId = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const extras = fc.dictionary(
  fc.string({ maxLength: 12 }).map((name) => `x_${name}`),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
);

const common = fc.record({
  eventId: fc.nat(),
  subscriptionId: fc.nat(),
  portalId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  occurredAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  attemptNumber: fc.nat({ max: 20 }),
  appId: fc.nat(),
  changeSource: fc.constantFrom('CRM_UI', 'IMPORT', 'API', 'INTEGRATION'),
});

// Properties whose changes closeloop follows (with the default settings), and some it does not.
const TRACKED: Record<string, string[]> = {
  '0-1': ['lifecyclestage', 'createdate', 'hs_analytics_source'],
  '0-3': ['dealstage', 'amount', 'closedate'],
};
const UNTRACKED = ['email', 'firstname', 'closeloop_lead_score', 'hs_lastmodifieddate'];
const pick = (list: readonly string[], at: number) => list[at % list.length] as string;

/** An event closeloop uses: a contact or deal created, deleted, restored or changed. */
export const usedEvent: fc.Arbitrary<RawEvent> = fc
  .record({
    common,
    extra: extras,
    objectTypeId: fc.constantFrom('0-1', '0-3'),
    action: fc.constantFrom('creation', 'deletion', 'restore', 'propertyChange'),
    objectId: safeId,
    property: fc.nat(),
  })
  .map(({ common, extra, action, property, ...rest }) => ({
    ...extra,
    ...common,
    ...rest,
    subscriptionType: `object.${action}`,
    ...(action === 'propertyChange'
      ? { propertyName: pick(TRACKED[rest.objectTypeId] ?? [], property), propertyValue: 'x' }
      : {}),
  }));

/** A well-formed event closeloop ignores: another object type, or a subscription it does not know. */
export const ignoredEvent: fc.Arbitrary<RawEvent> = fc
  .record({
    common,
    objectTypeId: fc.constantFrom('0-2', '0-5', '2-123', ''),
    subscriptionType: fc.string({ minLength: 1, maxLength: 30 }).map((type) => `object.${type}`),
    objectId: safeId,
  })
  // The action is what follows the first dot; associationChange is checked whatever the object.
  .filter(({ subscriptionType }) => subscriptionType.split('.')[1] !== 'associationChange')
  .map(({ common, ...rest }) => ({ ...common, ...rest }));

/** A change to a property closeloop does not follow, or to one it writes itself. */
const untrackedChange: fc.Arbitrary<RawEvent> = fc
  .record({ common, objectTypeId: fc.constantFrom('0-1', '0-3'), objectId: safeId, property: fc.nat() })
  .map(({ common, property, ...rest }) => ({
    ...common,
    ...rest,
    subscriptionType: 'object.propertyChange',
    propertyName: pick(UNTRACKED, property),
  }));

/** A delivery HubSpot could send: at least one used event, in any order with ignored ones. */
export const validDelivery: fc.Arbitrary<RawEvent[]> = fc
  .tuple(
    fc.array(usedEvent, { minLength: 1, maxLength: 5 }),
    fc.array(fc.oneof(ignoredEvent, untrackedChange), { maxLength: 3 }),
  )
  .chain(([used, ignored]) =>
    fc.shuffledSubarray([...used, ...ignored], { minLength: used.length + ignored.length }),
  );

const REQUIRED = ['eventId', 'subscriptionId', 'portalId', 'occurredAt', 'subscriptionType', 'attemptNumber'];
const notANumber = fc.oneof(
  fc.string(),
  fc.constant(null),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant('1'),
);

/** Replaces one field of one event so that the delivery is certainly not acceptable. */
const eventBreakers: ReadonlyArray<fc.Arbitrary<(event: RawEvent) => RawEvent>> = [
  fc.constantFrom(...REQUIRED).map((field) => (event: RawEvent) => {
    const { [field]: _dropped, ...rest } = event;
    return rest;
  }),
  fc
    .tuple(fc.constantFrom(...REQUIRED.filter((field) => field !== 'subscriptionType')), notANumber)
    .map(([field, value]) => (event: RawEvent) => ({ ...event, [field]: value })),
  fc
    .oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.constant(Number.MAX_SAFE_INTEGER + 2))
    .map((portalId) => (event: RawEvent) => ({ ...event, portalId })),
  fc
    .oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 1e6, noInteger: true }))
    .map((occurredAt) => (event: RawEvent) => ({ ...event, occurredAt })),
  fc
    .oneof(fc.constant(''), fc.integer(), fc.constant(null))
    .map((subscriptionType) => (event: RawEvent) => ({ ...event, subscriptionType })),
  // A used event must name its record, as a well-formed id.
  fc
    .oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true }), fc.string(), fc.constant(null))
    .map((objectId) => (event: RawEvent) => ({ ...event, objectId })),
  fc.constant(({ objectId: _dropped, ...event }: RawEvent) => event),
];

/** A delivery with one field of one used event broken, or a shape that is not a delivery at all. */
export const malformedDelivery: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(validDelivery, fc.oneof(...eventBreakers), fc.nat()).map(([events, breaker, at]) => {
    const used = events.findIndex((event) => ['0-1', '0-3'].includes(String(event.objectTypeId)));
    const index = used >= 0 ? used : at % events.length;
    // A creation is always used, so even a missing id is checked rather than ignored.
    const broken = (event: RawEvent) => breaker({ ...event, subscriptionType: 'object.creation' });
    return events.map((event, i) => (i === index ? broken(event) : event));
  }),
  fc
    .tuple(validDelivery, fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.constant([])))
    .map(([events, intruder]) => [...events, intruder]),
  validDelivery.map((events) => ({ events })),
  usedEvent,
  fc
    .tuple(usedEvent, fc.constantFrom('merge', 'associationChange', 'propertyChange'))
    .map(([event, action]) => {
      const { propertyName: _dropped, ...rest } = event;
      return [{ ...rest, subscriptionType: `object.${action}` }];
    }),
);

/** Any bytes at all, or JSON text of any shape, or a valid delivery's text cut short. */
export const arbitraryBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? '', 'utf8')),
  fc.tuple(validDelivery, fc.nat()).map(([events, cut]) => {
    const text = JSON.stringify(events);
    return Buffer.from(text.slice(0, cut % text.length), 'utf8');
  }),
  fc.string({ unit: 'grapheme', maxLength: 300 }).map((text) => Buffer.from(text, 'utf8')),
);

/** Whether the receiver must accept this body once it is validly signed: only `[]` is a valid empty delivery. */
export function isEmptyDelivery(body: Buffer): boolean {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return Array.isArray(parsed) && parsed.length === 0;
  } catch {
    return false;
  }
}

/** Query strings made of characters HubSpot's signature recipe leaves encoded as they are. */
export const plainQuery: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.stringMatching(/^[a-z0-9_.~-]{1,8}$/), fc.stringMatching(/^[a-zA-Z0-9_.~-]{0,12}$/)), {
    maxLength: 4,
  })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`));
