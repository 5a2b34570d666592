import { associationTypeName } from '../association-store.ts';
import type { ChangeSource, CrmChange } from './crm-change.ts';
import type { Subscription } from './subscriptions.ts';

export type WebhookEvent = Record<string, unknown> & { eventId: number };

export type EventContext = { portalId: number; appId: number; occurredAt: number; source: ChangeSource };

function matches(sub: Subscription, change: CrmChange): boolean {
  if (sub.kind !== change.kind || sub.objectType !== change.type.name) return false;
  return change.kind !== 'propertyChange' || sub.propertyName === change.propertyName;
}

function specificFields(change: CrmChange, generic: boolean): Record<string, unknown> {
  switch (change.kind) {
    case 'propertyChange':
      return { objectId: change.id, propertyName: change.propertyName, propertyValue: change.propertyValue };
    case 'merge':
      return {
        objectId: change.id,
        primaryObjectId: change.primaryObjectId,
        mergedObjectIds: change.mergedObjectIds,
        newObjectId: change.id,
        numberOfPropertiesMoved: change.numberOfPropertiesMoved,
      };
    case 'associationChange':
      // Association events name both ends instead of carrying objectId/objectTypeId.
      return {
        associationType: associationTypeName(change.type.name),
        fromObjectId: change.id,
        toObjectId: change.toId,
        associationRemoved: change.removed,
        isPrimaryAssociation: false,
        ...(generic
          ? {
              fromObjectTypeId: change.type.typeId,
              toObjectTypeId: change.to.typeId,
              associationTypeId: change.associationTypeId,
              associationCategory: 'HUBSPOT_DEFINED',
            }
          : {}),
      };
    default:
      return { objectId: change.id };
  }
}

/**
 * Turns one CRM change into the events its subscriptions ask for. All events of one change share
 * an eventId, so eventId is not unique across subscriptions (as HubSpot warns).
 */
export function buildEvents(
  change: CrmChange,
  subscriptions: readonly Subscription[],
  eventId: number,
  ctx: EventContext,
): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  for (const sub of subscriptions) {
    if (!matches(sub, change)) continue;
    const event: WebhookEvent = {
      eventId,
      subscriptionId: sub.id,
      portalId: ctx.portalId,
      appId: ctx.appId,
      occurredAt: ctx.occurredAt,
      subscriptionType: sub.subscriptionType,
      attemptNumber: 0,
      changeSource: ctx.source,
      sourceId: ctx.source === 'API' ? String(ctx.appId) : 'userId:1000001',
      ...specificFields(change, sub.generic),
    };
    if (sub.generic && change.kind !== 'associationChange') event.objectTypeId = change.type.typeId;
    events.push(event);
  }
  return events;
}
