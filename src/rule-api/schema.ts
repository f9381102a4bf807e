import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import type { JsonSchema } from './types.js';

/**
 * JSON Schema validation (Ajv) for rule options and mapping files. One Ajv instance per thread, made on
 * first use; each schema is compiled once and cached by identity.
 */
let ajv: Ajv | undefined;
const compiled = new WeakMap<JsonSchema, ValidateFunction>();
let checking = true;

/**
 * Turns the checks off in this thread, for the engine's workers: the main thread made every check on the same
 * rules, options and declarative rules before it started them, and Ajv with its compiled schemas takes some
 * megabytes in every thread that loads it.
 */
export function trustSchemas(): void {
  checking = false;
}

const ACCEPT_ALL = Object.assign(() => true, { errors: null }) as unknown as ValidateFunction;

export function compileSchema(schema: JsonSchema): ValidateFunction {
  if (!checking) return ACCEPT_ALL;
  let validate = compiled.get(schema);
  if (!validate) {
    // `verbose` gives each error its schema, so that an unknown key can be answered with the allowed ones;
    // union types (`["string", "null"]`) say "a value or none" in declarative rules.
    ajv ??= new (createRequire(import.meta.url)('ajv') as typeof import('ajv')).Ajv({ allErrors: true, strict: true, verbose: true, allowUnionTypes: true });
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
