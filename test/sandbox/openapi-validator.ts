import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** HubSpot's official OpenAPI files, vendored unchanged (SOURCE.txt names the upstream commit). */
const SPEC_DIR = resolve(import.meta.dirname, 'hubspot-openapi');

export type SpecName =
  | 'crm-contacts-v3'
  | 'crm-deals-v3'
  | 'crm-associations-v4'
  | 'crm-properties-v3'
  | 'crm-pipelines-v3'
  | 'marketing-campaigns-v3';

type Schema = Record<string, unknown>;
type OpenApi = {
  paths: Record<string, Record<string, { responses: Record<string, Schema> }>>;
  components: Schema;
};

/*
 * Where the published schemas disagree with what HubSpot actually returns. Each correction is
 * named here (and in the sandbox's report) instead of loosening the checks silently:
 *  1. SimplePublicObject*.properties: HubSpot returns `null` for a requested property that has no
 *     value; the schema allows strings only.
 *  2. StandardError (the per-input entries of a 207): HubSpot sends `status, category, message,
 *     context` (plus `subCategory` as a string such as `crm.associations.NO_ASSOCIATIONS_FOUND`);
 *     the schema requires `errors` and `links` and types `subCategory` as an object.
 *  3. 429 bodies carry `errorType` and `policyName` instead of `category` (see RATE_LIMIT_SCHEMA).
 */
function patchComponents(components: Schema): Schema {
  const schemas = structuredClone(components.schemas) as Record<
    string,
    Schema & { properties?: Record<string, Schema> }
  >;
  for (const name of ['SimplePublicObject', 'SimplePublicObjectWithAssociations']) {
    const props = schemas[name]?.properties?.properties;
    if (props) props.additionalProperties = { type: 'string', nullable: true };
  }
  const standard = schemas.StandardError;
  if (standard?.properties) {
    standard.required = ['status', 'category', 'message', 'context'];
    standard.properties.subCategory = { type: 'string' };
  }
  return { ...components, schemas };
}

/** HubSpot's documented 429 body (no `category`, unlike the generic Error schema). */
const RATE_LIMIT_SCHEMA = {
  type: 'object',
  required: ['status', 'message', 'errorType', 'correlationId', 'policyName'],
  properties: {
    status: { const: 'error' },
    message: { type: 'string' },
    errorType: { const: 'RATE_LIMIT' },
    correlationId: { type: 'string', format: 'uuid' },
    policyName: { enum: ['TEN_SECONDLY_ROLLING', 'DAILY', 'SECONDLY'] },
    groupName: { type: 'string' },
  },
};

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const specs = new Map<SpecName, OpenApi>();
const compiled = new Map<string, ValidateFunction>();

function spec(name: SpecName): OpenApi {
  let doc = specs.get(name);
  if (!doc) {
    doc = JSON.parse(readFileSync(resolve(SPEC_DIR, `${name}.json`), 'utf8')) as OpenApi;
    ajv.addSchema({ $id: name, components: patchComponents(doc.components) });
    specs.set(name, doc);
  }
  return doc;
}

function responseSchema(doc: OpenApi, name: SpecName, ref: Schema): Schema {
  let response = ref;
  const pointer = response.$ref;
  if (typeof pointer === 'string') {
    const key = pointer.split('/').pop() ?? '';
    response = (doc.components.responses as Record<string, Schema>)[key] as Schema;
  }
  const content = response.content as Record<string, { schema?: Schema }> | undefined;
  const schema = content?.['application/json']?.schema ?? content?.['*/*']?.schema;
  if (!schema) throw new Error(`no JSON schema for this response in ${name}`);
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${name}#/components/`));
}

/** The validator of one operation's response for a status (or its `default` response). */
export function responseValidator(
  name: SpecName,
  method: string,
  path: string,
  status: number,
): ValidateFunction {
  const key = `${name} ${method} ${path} ${status}`;
  let validate = compiled.get(key);
  if (validate) return validate;
  const doc = spec(name);
  if (status === 429) validate = ajv.compile(RATE_LIMIT_SCHEMA);
  else {
    const operation = doc.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${name} has no ${method} ${path}`);
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response) throw new Error(`${name} ${method} ${path} documents no ${status} response`);
    validate = ajv.compile(responseSchema(doc, name, response));
  }
  compiled.set(key, validate);
  return validate;
}

/** Problems of a body against the published schema, as readable lines (empty when valid). */
export function schemaProblems(
  name: SpecName,
  method: string,
  path: string,
  status: number,
  body: unknown,
): string[] {
  const validate = responseValidator(name, method, path, status);
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
