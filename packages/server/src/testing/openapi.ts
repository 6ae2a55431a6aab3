/**
 * Checks HTTP responses against the openEHR REST API, ITS-REST Release 1.0.3, read in
 * place from ../shared: the status must be one the operation documents, documented
 * headers must be present, and a JSON body must match the documented schema.
 * Without ../shared the checks are skipped (with one message), unless
 * CDR_REQUIRE_SHARED=1, which makes that a failure.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { requireShared, sharedRoot } from '@cdr/rm/testing/shared';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Spec = {
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  components: Record<string, Record<string, unknown>>;
};

interface Operation {
  readonly spec: Spec;
  readonly file: string;
  readonly responses: Record<string, unknown>;
}

const FILES = ['ehr', 'definition', 'query'];
let loaded: Map<string, Operation> | null | undefined;
let warned = false;
const validators = new Map<string, ValidateFunction>();

function load(): Map<string, Operation> | null {
  if (loaded !== undefined) {
    return loaded;
  }
  const root = sharedRoot();
  if (!root) {
    if (requireShared()) {
      throw new Error('the openEHR REST OpenAPI (../shared) is required when CDR_REQUIRE_SHARED=1');
    }
    loaded = null;
    return loaded;
  }
  const operations = new Map<string, Operation>();
  for (const file of FILES) {
    const path = join(root, 'reference/openehr-its-rest/Release-1.0.3/computable/OAS', `${file}-validation.openapi.yaml`);
    const spec = parse(readFileSync(path, 'utf8')) as Spec;
    for (const [route, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (operation && typeof operation === 'object' && operation.responses) {
          operations.set(`${method.toUpperCase()} ${route}`, { spec, file, responses: operation.responses });
        }
      }
    }
  }
  loaded = operations;
  return loaded;
}

function resolve(spec: Spec, value: unknown): Record<string, unknown> {
  let current = value as Record<string, unknown>;
  while (current && typeof current.$ref === 'string') {
    const parts = (current.$ref as string).replace(/^#\//, '').split('/');
    let target: unknown = spec;
    for (const part of parts) {
      target = (target as Record<string, unknown>)[part];
    }
    current = target as Record<string, unknown>;
  }
  return current;
}

/** openEHR UIDs: the RM allows a HIER_OBJECT_ID to be a UUID, an ISO OID or an internet id. */
const UID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9]+(\.[0-9]+)*|[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)*)$/i;

function validator(operation: Operation, schemaRef: Record<string, unknown>): ValidateFunction {
  const key = `${operation.file}:${JSON.stringify(schemaRef)}`;
  const cached = validators.get(key);
  if (cached) {
    return cached;
  }
  const ajv = new Ajv({ strict: false, allErrors: true, discriminator: false });
  addFormats(ajv);
  // HIER_OBJECT_ID.value is declared `format: uuid` in the OpenAPI, but the RM also allows
  // ISO OIDs and internet ids (used for system ids): check it as an openEHR UID.
  ajv.addFormat('uuid', UID);
  ajv.addFormat('url', true);
  ajv.addSchema({ components: relaxed(operation.spec.components) }, 'spec');
  const rewritten = JSON.parse(JSON.stringify(schemaRef).replace(/"#\/components\//g, '"spec#/components/')) as object;
  const validate = ajv.compile(rewritten);
  validators.set(key, validate);
  return validate;
}

/**
 * The one place the published schemas are relaxed: ARCHETYPED is declared with
 * `additionalProperties: false` and without `_type`, but canonical JSON (ITS-JSON) lets
 * every object carry its `_type`, and clients send it.
 */
function relaxed(components: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const copy = structuredClone(components);
  const archetyped = copy.schemas?.Archetyped as Record<string, unknown> | undefined;
  if (archetyped) {
    delete archetyped.additionalProperties;
  }
  return withDiscriminators(copy) as Record<string, Record<string, unknown>>;
}

/**
 * OpenAPI `oneOf` with a `discriminator` mapping selects the schema by the value of the
 * discriminating property (`_type`); JSON Schema's plain `oneOf` instead demands that
 * exactly one branch match, which fails where two RM types have the same shape
 * (ITEM_TREE and ITEM_LIST). Rewritten here as: the property is required, one of the
 * mapped values, and selects its schema.
 */
function withDiscriminators(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(withDiscriminators);
  }
  if (!node || typeof node !== 'object') {
    return node;
  }
  const object = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withDiscriminators(v)])) as Record<string, unknown>;
  const discriminator = object.discriminator as { propertyName?: string; mapping?: Record<string, string> } | undefined;
  if (discriminator?.propertyName && discriminator.mapping && Array.isArray(object.oneOf)) {
    const property = discriminator.propertyName;
    const mapping = discriminator.mapping;
    delete object.oneOf;
    delete object.discriminator;
    object.type = 'object';
    object.required = [property];
    object.properties = { [property]: { enum: Object.keys(mapping) } };
    object.allOf = Object.entries(mapping).map(([value, ref]) => ({
      if: { properties: { [property]: { const: value } } },
      then: { $ref: ref },
    }));
  }
  return object;
}

export interface ResponseLike {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
  readonly text?: string;
}

/**
 * Asserts that a response conforms to the operation `METHOD /path/{param}` of the REST
 * API. Returns false (and checks nothing) when the specification is not available.
 */
export function assertConforms(response: ResponseLike, operationKey: string): boolean {
  const operations = load();
  if (!operations) {
    if (!warned) {
      warned = true;
      console.warn('[tests] ../shared not found: responses are not checked against the openEHR REST OpenAPI');
    }
    return false;
  }
  const operation = operations.get(operationKey);
  assert.ok(operation, `no operation '${operationKey}' in the Release-1.0.3 OpenAPI`);
  const documented = operation.responses[String(response.status)];
  assert.ok(
    documented,
    `${operationKey} answered ${response.status}, which the specification does not document (documented: ${Object.keys(operation.responses).join(', ')}); body: ${JSON.stringify(response.body)}`,
  );
  const resolved = resolve(operation.spec, documented);
  const headers = (resolved.headers ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(headers)) {
    if (['etag', 'location'].includes(name.toLowerCase())) {
      assert.ok(response.headers[name.toLowerCase()], `${operationKey} ${response.status} must carry the ${name} header`);
    }
  }
  const content = resolved.content as Record<string, { schema?: Record<string, unknown> }> | undefined;
  const contentType = String(response.headers['content-type'] ?? '');
  const jsonSchema = content?.['application/json']?.schema;
  if (jsonSchema && contentType.includes('json') && response.body !== undefined && response.text !== '') {
    const validate = validator(operation, jsonSchema);
    if (!validate(response.body)) {
      assert.fail(
        `${operationKey} ${response.status} body does not match the specification: ${JSON.stringify(validate.errors?.slice(0, 5))}\nbody: ${JSON.stringify(response.body).slice(0, 2000)}`,
      );
    }
  }
  return true;
}
