import { z } from 'zod';
import { invalidInput } from './hubspot-errors.ts';

/** HubSpot binds JSON numbers and booleans into string properties; null clears a value. */
const propertyValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((v) => (v === null ? null : String(v)));

export const propertiesSchema = z.record(z.string(), propertyValue);

const objectId = z.union([z.string(), z.number()]).transform(String);

export const associationSpecSchema = z.object({
  associationCategory: z.enum(['HUBSPOT_DEFINED', 'INTEGRATOR_DEFINED', 'USER_DEFINED', 'WORK']),
  associationTypeId: z.number().int(),
});

const createAssociationSchema = z.object({
  to: z.object({ id: objectId }),
  types: z.array(associationSpecSchema),
});

export const createInputSchema = z.object({
  properties: propertiesSchema.default({}),
  associations: z.array(createAssociationSchema).default([]),
  objectWriteTraceId: z.string().optional(),
});

export type CreateInput = z.output<typeof createInputSchema>;

export const updateInputSchema = z.object({
  properties: propertiesSchema,
  objectWriteTraceId: z.string().optional(),
});

export const batchReadSchema = z.object({
  inputs: z.array(z.object({ id: objectId })),
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).default([]),
  idProperty: z.string().optional(),
});

export const batchCreateSchema = z.object({ inputs: z.array(createInputSchema) });

export const batchUpdateSchema = z.object({
  inputs: z.array(updateInputSchema.extend({ id: objectId, idProperty: z.string().optional() })),
});

export const batchArchiveSchema = z.object({ inputs: z.array(z.object({ id: objectId })) });

export const mergeSchema = z.object({ primaryObjectId: objectId, objectIdToMerge: objectId });

export const gdprDeleteSchema = z.object({ objectId, idProperty: z.string().optional() });

const filterSchema = z.object({
  propertyName: z.string(),
  operator: z.enum([
    'EQ',
    'NEQ',
    'LT',
    'LTE',
    'GT',
    'GTE',
    'BETWEEN',
    'IN',
    'NOT_IN',
    'HAS_PROPERTY',
    'NOT_HAS_PROPERTY',
    'CONTAINS_TOKEN',
    'NOT_CONTAINS_TOKEN',
  ]),
  value: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
  highValue: z.union([z.string(), z.number()]).transform(String).optional(),
  values: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
});

export type SearchFilter = z.output<typeof filterSchema>;

/** The SDK types sorts as strings ("-name" = descending); the docs send {propertyName, direction}. */
const sortSchema = z.union([
  z
    .string()
    .transform((s) =>
      s.startsWith('-')
        ? { propertyName: s.slice(1), direction: 'DESCENDING' as const }
        : { propertyName: s, direction: 'ASCENDING' as const },
    ),
  z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
]);

export const searchSchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filterSchema) })).default([]),
  sorts: z.array(sortSchema).default([]),
  properties: z.array(z.string()).optional(),
  query: z.string().optional(),
  limit: z.number().int().min(0).default(10),
  after: z.union([z.string(), z.number()]).transform(String).optional(),
});

export type SearchRequest = z.output<typeof searchSchema>;

/** Binds a body with zod; a mismatch gets HubSpot's 400 "Invalid input JSON" error. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw invalidInput(`${issue?.message ?? 'invalid body'}${where}`);
}
