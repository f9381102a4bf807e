import { assertValid, compileSchema } from './schema.js';
import { SEVERITIES, type AnyRule, type RuleDefinition } from './types.js';

/** A rule id: kebab-case, as the rule's file is named. */
export const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/**
 * Declares a rule. Checks the metadata at load time, so that a broken rule fails loudly before any log is
 * read: a kebab-case id, a known severity, a basis, at least one message, an options schema that rejects
 * unknown keys, and `create`. Whether the schema compiles and accepts the defaults is validateRule's
 * question, asked of every plugin as it is loaded and by testRule: compiling the schemas of the fifteen
 * built-in rules on every run took 60 ms and 10 MB (Ajv and its code), a tenth of a small month's run.
 */
export function defineRule<Options extends object, State = unknown>(
  definition: RuleDefinition<Options, State>,
): RuleDefinition<Options, State> {
  checkRuleMeta(definition);
  return definition;
}

/** Every check of a rule (defineRule's, and its schema's), for rules that arrive from elsewhere (plugins). */
export function validateRule(definition: AnyRule): void {
  checkRuleMeta(definition);
  const { meta } = definition;
  try {
    compileSchema(meta.options.schema);
  } catch (error) {
    throw new Error(`rule '${meta.id}' is not valid: options schema does not compile: ${(error as Error).message}`);
  }
  assertValid(meta.options.schema, meta.options.defaults, `rule '${meta.id}' defaults`);
}

/** The checks of defineRule: throws naming what is wrong. */
function checkRuleMeta(definition: AnyRule): void {
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
