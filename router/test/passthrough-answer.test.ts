import { readAnswer } from '@dcrm/router/passthrough.js';
import { describe, expect, it } from 'vitest';

describe('readAnswer', () => {
  it('takes the data text of an answer without errors as the subgraph wrote it', () => {
    expect(readAnswer('{"data":{"b":1,"a":"x"}}\n')).toEqual({ data: '{"b":1,"a":"x"}' });
  });

  it('drops what the subgraph put in extensions, keeping its data', () => {
    expect(readAnswer('{"data":{"a":1},"extensions":{"internal":true}}')).toEqual({ data: '{"a":1}' });
  });

  it('parses an answer with errors, or with null data, for the gateway to shape', () => {
    const errors = { errors: [{ message: 'no', extensions: { code: 'NOT_FOUND' } }], data: { product: null } };
    expect(readAnswer(JSON.stringify(errors))).toEqual({ data: null, response: errors });
    expect(readAnswer('{"data":null}')).toEqual({ data: null, response: { data: null } });
  });

  it('reads text that is not a JSON object as no answer at all', () => {
    for (const body of ['<html>', '[1]', 'null', '{"data":{"a":1} x']) expect(readAnswer(body)).toEqual({ data: null, response: null });
  });
});
