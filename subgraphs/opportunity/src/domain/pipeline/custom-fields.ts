import { userError } from '@dcrm/kit';
import type { CustomFieldType, CustomFieldValues, ICustomFieldDefinition } from '../../entities/index.js';
import type { UserError } from '../opportunity.errors.js';

/**
 * Custom field values against a storefront's definitions: each value is parsed by its definition's
 * type (TEXT ≤ 500 characters, NUMBER finite, DATE a real YYYY-MM-DD day, BOOLEAN true/false, SELECT
 * one of the options); unknown keys and missing required values are errors naming the field.
 */
export type CustomFieldInput = { key: string; value?: string | null };
export type CustomFieldView = { key: string; label: string; type: CustomFieldType; value: string };
type Definition = Pick<ICustomFieldDefinition, 'key' | 'label' | 'type' | 'options' | 'required' | 'active'>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function parse(def: Definition, raw: string): string | number | boolean | { problem: string } {
  const value = raw.trim();
  switch (def.type) {
    case 'TEXT':
      return value.length === 0 ? { problem: 'Must not be blank' } : value.length > 500 ? { problem: 'At most 500 characters' } : value;
    case 'NUMBER': {
      const n = Number(value);
      return value !== '' && Number.isFinite(n) ? n : { problem: 'Not a number' };
    }
    case 'DATE':
      return isIsoDate(value) ? value : { problem: 'Use a date as YYYY-MM-DD' };
    case 'BOOLEAN':
      return value === 'true' ? true : value === 'false' ? false : { problem: 'Use true or false' };
    case 'SELECT':
      return def.options.includes(value) ? value : { problem: `One of ${def.options.join(', ')}` };
  }
}

/**
 * The values after applying `inputs` to `current` (a null value clears its key), or the problems, each
 * on `[...field, index]` (or `[...field]` with the key for a missing required one).
 */
export function applyCustomFields(
  definitions: Definition[],
  current: CustomFieldValues,
  inputs: CustomFieldInput[],
  field: string[],
): { values: CustomFieldValues; errors: UserError[] } {
  const byKey = new Map(definitions.filter((d) => d.active).map((d) => [d.key, d]));
  const values: CustomFieldValues = { ...current };
  const errors: UserError[] = [];
  const seen = new Set<string>();
  for (const [i, input] of inputs.entries()) {
    const at = [...field, String(i)];
    const def = byKey.get(input.key);
    if (!def) {
      errors.push(userError('UNKNOWN_FIELD', `No custom field ${input.key}`, at));
      continue;
    }
    if (seen.has(input.key)) {
      errors.push(userError('DUPLICATE', `${def.label} given twice`, at));
      continue;
    }
    seen.add(input.key);
    if (input.value == null) {
      delete values[input.key];
      continue;
    }
    const parsed = parse(def, input.value);
    if (typeof parsed === 'object') errors.push(userError('INVALID', `${def.label}: ${parsed.problem}`, at));
    else values[input.key] = parsed;
  }
  errors.push(...missingRequired(definitions, values, field));
  return { values, errors };
}

/** Required (active) definitions without a value. */
export function missingRequired(definitions: Definition[], values: CustomFieldValues, field: string[]): UserError[] {
  return definitions
    .filter((d) => d.active && d.required && values[d.key] === undefined)
    .map((d) => userError('REQUIRED', `${d.label} is required`, [...field, d.key]));
}

/** Values in definition order, labelled; values whose definition is gone keep their key as label. */
export function customFieldViews(definitions: Definition[], values: CustomFieldValues): CustomFieldView[] {
  const known = definitions.filter((d) => values[d.key] !== undefined);
  const views = known.map((d) => ({ key: d.key, label: d.label, type: d.type, value: String(values[d.key]) }));
  const orphans = Object.keys(values).filter((k) => !definitions.some((d) => d.key === k));
  for (const key of orphans) {
    const v = values[key];
    views.push({ key, label: key, type: typeof v === 'number' ? 'NUMBER' : typeof v === 'boolean' ? 'BOOLEAN' : 'TEXT', value: String(v) });
  }
  return views;
}
