import { z } from 'zod';

/** HubSpot's responses for the calls closeloop makes, checked at the edge (shapes from hubspot-openapi/). */

const propertyValues = z.record(z.string(), z.string().nullable().optional());

export const crmObjectSchema = z.looseObject({
  id: z.string(),
  properties: propertyValues,
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
});
export type CrmObject = z.infer<typeof crmObjectSchema>;

export const batchErrorSchema = z.looseObject({
  status: z.string().optional(),
  category: z.string(),
  message: z.string().optional(),
  context: z.record(z.string(), z.array(z.string())).optional(),
});
export type BatchError = z.infer<typeof batchErrorSchema>;

export const batchObjectsSchema = z.looseObject({
  status: z.string(),
  results: z.array(crmObjectSchema),
  errors: z.array(batchErrorSchema).optional(),
});

const paging = z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional();

export const objectPageSchema = z.looseObject({ results: z.array(crmObjectSchema), paging });

export const searchPageSchema = z.looseObject({
  total: z.number(),
  results: z.array(crmObjectSchema),
  paging,
});

export const associationBatchSchema = z.looseObject({
  status: z.string(),
  results: z.array(
    z.looseObject({
      from: z.looseObject({ id: z.string() }),
      to: z.array(
        z.looseObject({
          toObjectId: z.union([z.number(), z.string()]).transform(String),
          associationTypes: z.array(z.looseObject({ typeId: z.number(), category: z.string() })).optional(),
        }),
      ),
      paging,
    }),
  ),
  errors: z.array(batchErrorSchema).optional(),
});

export const propertySchema = z.looseObject({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  fieldType: z.string(),
  groupName: z.string(),
  options: z
    .array(
      z.looseObject({
        value: z.string(),
        label: z.string(),
        displayOrder: z.number().optional(),
        hidden: z.boolean().optional(),
      }),
    )
    .optional(),
  numberDisplayHint: z.string().optional(),
  modificationMetadata: z.looseObject({ readOnlyValue: z.boolean().optional() }).optional(),
});
export type Property = z.infer<typeof propertySchema>;

export const propertiesSchema = z.looseObject({ results: z.array(propertySchema) });

export const propertyGroupsSchema = z.looseObject({
  results: z.array(z.looseObject({ name: z.string(), label: z.string() })),
});

export const pipelinesSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      id: z.string(),
      label: z.string(),
      archived: z.boolean().optional(),
      stages: z.array(
        z.looseObject({
          id: z.string(),
          label: z.string(),
          archived: z.boolean().optional(),
          metadata: z.record(z.string(), z.string().nullable()).optional(),
        }),
      ),
    }),
  ),
});
export type Pipelines = z.infer<typeof pipelinesSchema>['results'];

export const accountDetailsSchema = z.looseObject({
  portalId: z.number(),
  timeZone: z.string(),
  companyCurrency: z.string(),
  uiDomain: z.string(),
});
export type AccountDetails = z.infer<typeof accountDetailsSchema>;

/** Parses a HubSpot body, naming the call when HubSpot answered something unexpected. */
export function parseResponse<T>(schema: z.ZodType<T>, body: unknown, call: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    .join('; ');
  throw new Error(`Unexpected HubSpot response to ${call}: ${issues}`);
}
