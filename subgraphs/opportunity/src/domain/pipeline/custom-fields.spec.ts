import { describe, expect, it } from 'vitest';
import { applyCustomFields, customFieldViews, isIsoDate } from './custom-fields.js';

const defs = [
  { key: 'competitor_offer', label: 'Competitor offer', type: 'TEXT' as const, options: [], required: false, active: true },
  { key: 'term', label: 'Contract term', type: 'SELECT' as const, options: ['12', '24'], required: true, active: true },
  { key: 'lines', label: 'Numbers to port', type: 'NUMBER' as const, options: [], required: false, active: true },
  { key: 'ends', label: 'Contract ends', type: 'DATE' as const, options: [], required: false, active: true },
  { key: 'survey', label: 'Site survey', type: 'BOOLEAN' as const, options: [], required: false, active: true },
];
const F = ['input', 'customFields'];

describe('applyCustomFields', () => {
  it('parses each type', () => {
    const { values, errors } = applyCustomFields(
      defs,
      {},
      [
        { key: 'term', value: '24' },
        { key: 'lines', value: '12.5' },
        { key: 'ends', value: '2027-02-28' },
        { key: 'survey', value: 'true' },
        { key: 'competitor_offer', value: ' Rival 30GB ' },
      ],
      F,
    );
    expect(errors).toEqual([]);
    expect(values).toEqual({ term: '24', lines: 12.5, ends: '2027-02-28', survey: true, competitor_offer: 'Rival 30GB' });
    expect(customFieldViews(defs, values).map((v) => v.value)).toEqual(['Rival 30GB', '24', '12.5', '2027-02-28', 'true']);
  });

  it('names the field of every problem', () => {
    const { errors } = applyCustomFields(
      defs,
      {},
      [
        { key: 'term', value: '36' },
        { key: 'lines', value: 'many' },
        { key: 'ends', value: '2027-02-30' },
        { key: 'survey', value: 'yes' },
        { key: 'nope', value: 'x' },
      ],
      F,
    );
    expect(errors.map((e) => [e.code, e.field?.join('.')])).toEqual([
      ['INVALID', 'input.customFields.0'],
      ['INVALID', 'input.customFields.1'],
      ['INVALID', 'input.customFields.2'],
      ['INVALID', 'input.customFields.3'],
      ['UNKNOWN_FIELD', 'input.customFields.4'],
      ['REQUIRED', 'input.customFields.term'],
    ]);
  });

  it('clears with null, but not a required one', () => {
    const { errors } = applyCustomFields(defs, { term: '12' }, [{ key: 'term', value: null }], F);
    expect(errors.map((e) => e.code)).toEqual(['REQUIRED']);
    expect(isIsoDate('2026-12-01')).toBe(true);
  });
});
