import { BLANK_CONTACT, BLANK_DEAL } from '../src/core/campaign-values.ts';
import type { RecordValues } from '../src/core/record-values.ts';
import { asSent } from '../src/core/shown-values.ts';
import { type ObjectType, readObjects } from '../src/hubspot/crm.ts';
import type { CrmObject } from '../src/hubspot/schemas.ts';
import { outbox } from '../src/store/outbox.ts';
import { workSets } from '../src/store/work-sets.ts';
import type { JobContext, PortalScope } from './context.ts';

/** The closeloop_* properties of each object type: what the recent sweep also reads. */
export const SHOWN_PROPERTIES: Readonly<Record<ObjectType, readonly string[]>> = {
  contacts: Object.keys(BLANK_CONTACT),
  deals: Object.keys(BLANK_DEAL),
};

function shownBy(objects: readonly CrmObject[], type: ObjectType): Map<string, RecordValues> {
  const names = SHOWN_PROPERTIES[type];
  return new Map(
    objects.map((object) => [
      object.id,
      asSent(Object.fromEntries(names.map((name) => [name, object.properties[name] ?? '']))),
    ]),
  );
}

/**
 * Compares what records show with what closeloop remembers writing. After Redis lost its last
 * writes (a host crash inside `appendfsync everysec`'s second), it can remember an older write
 * than the one HubSpot kept, and then skip a record that needs those older values back. Records
 * whose search copy disagrees are read afresh (search trails writes); those that still disagree
 * are rescored and written whatever they show. Returns how many.
 */
export async function repairWritten(
  context: JobContext,
  scope: PortalScope,
  type: ObjectType,
  found: readonly CrmObject[],
): Promise<number> {
  const writes = outbox(context.redis, scope.keys);
  const suspects = await writes.disagreeing(type, shownBy(found, type));
  if (suspects.length === 0) return 0;
  const fresh = await readObjects(context.http, type, suspects, SHOWN_PROPERTIES[type], 'background');
  const marked = await writes.markDisagreeing(type, shownBy(fresh.objects, type));
  if (marked.length === 0) return 0;
  await workSets(context.redis, scope.keys).markRescore(type, marked);
  await context.schedule('score', scope.portal.portalId);
  return marked.length;
}
