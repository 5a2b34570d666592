import type { ObjectTypeInfo } from '../object-types.ts';

export type ChangeSource = 'API' | 'CRM_UI';

/** What happened in the CRM, before subscriptions decide which webhook events it becomes. */
export type CrmChange =
  | { kind: 'creation' | 'deletion' | 'restore' | 'privacyDeletion'; type: ObjectTypeInfo; id: number }
  | { kind: 'propertyChange'; type: ObjectTypeInfo; id: number; propertyName: string; propertyValue: string }
  | {
      kind: 'merge';
      type: ObjectTypeInfo;
      id: number;
      primaryObjectId: number;
      mergedObjectIds: number[];
      numberOfPropertiesMoved: number;
    }
  | {
      kind: 'associationChange';
      type: ObjectTypeInfo;
      id: number;
      to: ObjectTypeInfo;
      toId: number;
      associationTypeId: number;
      removed: boolean;
    };

export type ChangeSink = (changes: CrmChange[], source: ChangeSource) => void;
