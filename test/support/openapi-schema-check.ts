// Checks a JSON value against a schema of an OpenAPI 3.0 document: the keywords our document uses, no more.
// A schema with a keyword this checker does not know is an error, so an unchecked rule cannot slip through.
import type { OpenApiDocument, SchemaObject, SchemaOrReference } from '../../src/adapters/http/openapi-document';

const ANNOTATIONS = new Set(['title', 'description', 'example', 'default', 'format']);
const CHECKED = new Set([
  'type',
  'nullable',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'properties',
  'required',
  'additionalProperties',
  'items',
]);

export function resolveSchema(doc: OpenApiDocument, schema: SchemaOrReference): SchemaObject {
  if ('$ref' in schema) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1];
    const found = name === undefined ? undefined : doc.components.schemas[name];
    if (found === undefined) throw new Error(`unresolvable $ref ${schema.$ref}`);
    return found;
  }
  return schema;
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every violation, as `path: what`; empty when the value conforms. */
export function schemaViolations(doc: OpenApiDocument, schemaOrRef: SchemaOrReference, value: unknown, at = '$'): string[] {
  const schema = resolveSchema(doc, schemaOrRef);
  const unknown = Object.keys(schema).filter((k) => !CHECKED.has(k) && !ANNOTATIONS.has(k));
  if (unknown.length > 0) throw new Error(`${at}: schema keyword(s) ${unknown.join(', ')} not supported by the checker`);

  if (value === null) return schema.nullable === true || schema.type === undefined ? [] : [`${at}: null where ${schema.type} is expected`];
  const found: string[] = [];
  const actual = typeOf(value);
  switch (schema.type) {
    case undefined:
      break;
    case 'integer':
      if (!(typeof value === 'number' && Number.isInteger(value))) return [`${at}: expected integer, got ${actual}`];
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${at}: expected number, got ${actual}`];
      break;
    default:
      if (actual !== schema.type) return [`${at}: expected ${schema.type}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value as string)) found.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) found.push(`${at}: does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && value.length < schema.minLength) found.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) found.push(`${at}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) found.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) found.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => found.push(...schemaViolations(doc, schema.items!, item, `${at}[${i}]`)));
  }
  if (actual === 'object' && schema.type === 'object') {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in record)) found.push(`${at}: missing required ${name}`);
    for (const [name, v] of Object.entries(record)) {
      const property = schema.properties?.[name];
      if (property) found.push(...schemaViolations(doc, property, v, `${at}.${name}`));
      else if (schema.additionalProperties === false) found.push(`${at}: unexpected property ${name}`);
      else if (typeof schema.additionalProperties === 'object') found.push(...schemaViolations(doc, schema.additionalProperties, v, `${at}.${name}`));
    }
  }
  return found;
}
