import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import type { JsonSchema } from './types.js';

/**
 * JSON Schema validation (Ajv) for rule options and mapping files. One Ajv instance per thread; each
 * schema is compiled once and cached by identity.
 */
// `verbose` gives each error its schema, so that an unknown key can be answered with the allowed ones;
// union types (`["string", "null"]`) say "a value or none" in declarative rules.
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

export function compileSchema(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** One line per problem, naming the key path and what is allowed: `dayStart: must match "^…$"`. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).map((error) => {
    const path = root + error.instancePath.replaceAll('/', '.');
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}).filter((name) => !name.startsWith('$'));
      return `${path ? `${path}.` : ''}${key}: unknown key${known.length > 0 ? ` (allowed: ${known.join(', ')})` : ''}`;
    }
    if (error.keyword === 'enum') {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return `${path}: must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
    }
    return `${path}: ${error.message ?? 'is not valid'}`;
  });
}

/** Validates a value against a schema, throwing a ConfigError that lists every problem. */
export function assertValid(schema: JsonSchema, value: unknown, what: string, root = ''): void {
  const validate = compileSchema(schema);
  if (!validate(value)) {
    const problems = describeSchemaErrors(validate.errors, root);
    throw new ConfigError(`${what}: ${problems.join('; ')}`);
  }
}
