import { assertValid, compileSchema } from './schema.js';
import { SEVERITIES, type AnyRule, type RuleDefinition } from './types.js';

/** A rule id: kebab-case, as the rule's file is named. */
export const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/**
 * Declares a rule. Checks the metadata once, at load time, so that a broken rule fails loudly before any
 * log is read: a kebab-case id, a known severity, a basis, at least one message, an options schema that
 * compiles and rejects unknown keys, and defaults that the schema accepts.
 */
export function defineRule<Options extends object, State = unknown>(
  definition: RuleDefinition<Options, State>,
): RuleDefinition<Options, State> {
  validateRule(definition);
  return definition;
}

/** The checks of defineRule, for rules that arrive from elsewhere (plugins): throws naming what is wrong. */
export function validateRule(definition: AnyRule): void {
  const { meta } = definition ?? {};
  const fail = (reason: string): never => {
    throw new Error(`rule '${meta?.id ?? '?'}' is not valid: ${reason}`);
  };
  if (typeof meta?.id !== 'string' || !RULE_ID.test(meta.id)) fail('id must be kebab-case');
  if (!meta.title) fail('title is missing');
  if (!SEVERITIES.includes(meta.severity)) fail(`severity must be one of ${SEVERITIES.join(', ')}`);
  if (!meta.basis || !['source', 'heuristic'].includes(meta.basis.kind) || !meta.basis.reference) {
    fail('basis needs kind (source|heuristic) and reference');
  }
  if (!meta.description) fail('description is missing');
  if (!meta.messages || Object.keys(meta.messages).length === 0) fail('messages are missing');
  if (meta.options?.schema?.['additionalProperties'] !== false) fail('options schema must set additionalProperties: false');
  try {
    compileSchema(meta.options.schema);
  } catch (error) {
    fail(`options schema does not compile: ${(error as Error).message}`);
  }
  assertValid(meta.options.schema, meta.options.defaults, `rule '${meta.id}' defaults`);
  if (typeof definition.create !== 'function') fail('create() is missing');
}

/** The placeholders a message template uses. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/** Fills `{{placeholders}}`; a placeholder without a value is a bug in the rule. */
export function renderMessage(template: string, data: Readonly<Record<string, string | number>>, ruleId: string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`rule '${ruleId}': message placeholder {{${name}}} has no value`);
    return String(value);
  });
}
