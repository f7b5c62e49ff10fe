import Handlebars from 'handlebars';
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

  it('renders exactly as Handlebars does: standalone lines, whitespace control, comments, escapes, else chains, falsy values', () => {
    const texts = [
      '{{name}}{{#if link}}\n{{link}}{{/if}}',
      'Hi {{name}},\n{{#if link}}\n  see {{link}}\n{{else}}\n  no link\n{{/if}}\nBye',
      '{{~name~}}  !  {{#unless link~}} none {{~/unless}} .',
      '{{!-- a comment --}}{{name}}{{! another }} \\{{name}} {{#if a}}A{{else if b}}B{{else}}C{{/if}}',
      '  {{#if a}}\n{{#unless b}}\nnot b\n{{/unless}}\n{{/if}}\n',
      '"quotes", {braces}, back\\slash, $1 $& and \u00e9',
    ];
    const declared = ['name', 'link', 'a', 'b'];
    const valueSets: Record<string, string | null>[] = [
      { name: 'Ana', link: 'https://x.example/o?a=1&b=2', a: '0', b: 'yes' },
      { name: '', link: null, a: '', b: null },
      { name: '<b>$&</b>', link: '', a: 'false', b: '' },
      { name: null, link: ' ', a: null, b: 'x' },
    ];
    for (const text of texts) {
      expect(templateProblems(text, declared), text).toEqual([]);
      const reference = Handlebars.compile(text, {
        strict: true,
        noEscape: true,
        knownHelpersOnly: true,
        knownHelpers: { if: true, unless: true },
      });
      for (const values of valueSets)
        expect(renderText(text, declared, values), `${text} with ${JSON.stringify(values)}`).toBe(reference(values));
    }
  });

  it('compiles a text for its declaration: the same text with a variable not declared still fails', () => {
    expect(renderText('{{a}}{{b}}', ['a', 'b'], { a: '1', b: '2' })).toBe('12');
    expect(() => renderText('{{a}}{{b}}', ['a'], { a: '1', b: '2' })).toThrow();
  });
});
