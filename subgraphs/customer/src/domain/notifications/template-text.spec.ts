import { describe, expect, it } from 'vitest';
import { MissingVariables, renderText, templateProblems } from './template-text.js';

describe('template text', () => {
  it('accepts declared variables and if/unless blocks', () => {
    expect(templateProblems('Hi {{name}}{{#if link}}: {{link}}{{else}}!{{/if}}{{#unless name}}?{{/unless}}', ['name', 'link'])).toEqual([]);
  });

  it('refuses undeclared variables, wherever they are', () => {
    expect(templateProblems('Hi {{nmae}}', ['name'])).toEqual(['"nmae" is not a declared variable']);
    expect(templateProblems('{{#if code}}x{{/if}}', ['name'])).toEqual(['"code" is not a declared variable']);
    expect(templateProblems('{{#if name}}{{else}}{{secret}}{{/if}}', ['name'])).toEqual(['"secret" is not a declared variable']);
  });

  it('refuses what could read more than the declaration: paths, this, data, helpers, partials, triple braces', () => {
    for (const text of [
      '{{name.length}}',
      '{{this}}',
      '{{@root}}',
      '{{../name}}',
      '{{lookup name "x"}}',
      '{{> header}}',
      '{{{name}}}',
      '{{#each name}}x{{/each}}',
      '{{#with name}}x{{/with}}',
    ]) {
      expect(templateProblems(text, ['name']), text).not.toEqual([]);
    }
  });

  it('refuses text that does not parse', () => {
    expect(templateProblems('Hi {{name', ['name'])[0]).toMatch(/^Does not parse/);
    expect(templateProblems('{{#if name}}open', ['name'])[0]).toMatch(/^Does not parse/);
  });

  it('renders plain text strictly: no escaping, a missing variable is an error, null renders empty', () => {
    expect(renderText('{{a}} & {{b}}', ['a', 'b'], { a: '<x>', b: null })).toBe('<x> & ');
    expect(renderText('{{a}}{{#if b}}+{{b}}{{/if}}', ['a', 'b'], { a: '1', b: '2' })).toBe('1+2');
    expect(() => renderText('{{a}}', ['a'], {})).toThrow(MissingVariables);
  });
});
