import Handlebars from 'handlebars';

/**
 * Notification template text: Handlebars in its strictest form. A template may use `{{variable}}` of
 * the variables it declares and `{{#if v}}…{{else}}…{{/if}}` / `{{#unless v}}` blocks on them; nothing
 * else (no partials, other helpers, paths, `this`, `@data`, triple-stash or raw blocks), so what a
 * template reads is exactly what the declaration says. Rendering is strict: a declared variable the
 * sender does not give is an error, never an empty string. Bodies are plain text (no HTML escaping).
 */
export const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const BLOCK_HELPERS = new Set(['if', 'unless']);

export type TemplateProblem = { message: string };

type Node = hbs.AST.Node;
type Path = hbs.AST.PathExpression;

function variableOf(node: Node, declared: ReadonlySet<string>, problems: string[]): void {
  if (node.type !== 'PathExpression') {
    problems.push(`Only variables may be used, not ${node.type}`);
    return;
  }
  const path = node as Path;
  if (path.data || path.depth > 0 || path.parts.length !== 1 || path.original.includes('this')) {
    problems.push(`Use a plain variable name, not "${path.original}"`);
    return;
  }
  if (!declared.has(path.parts[0])) problems.push(`"${path.parts[0]}" is not a declared variable`);
}

function walk(nodes: Node[], declared: ReadonlySet<string>, problems: string[]): void {
  for (const node of nodes) {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        break;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        if (!m.escaped) problems.push('Triple braces are not allowed');
        if (m.params.length || m.hash?.pairs.length) problems.push('Helpers are not allowed');
        variableOf(m.path, declared, problems);
        break;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        const helper = b.path.type === 'PathExpression' ? (b.path as Path).original : '';
        if (!BLOCK_HELPERS.has(helper) || b.params.length !== 1 || b.hash?.pairs.length) {
          problems.push(`Only {{#if variable}} and {{#unless variable}} blocks are allowed, not "${helper}"`);
          break;
        }
        variableOf(b.params[0], declared, problems);
        walk(b.program.body, declared, problems);
        if (b.inverse) walk(b.inverse.body, declared, problems);
        break;
      }
      default:
        problems.push(`${node.type.replace('Statement', '')} is not allowed`);
    }
  }
}

/** Problems with one template text against its declared variables (empty: it may be saved). */
export function templateProblems(text: string, declared: readonly string[]): string[] {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(text);
  } catch (error) {
    // The parser's message names the line and what it expected; it holds no secret.
    return [`Does not parse: ${(error as Error).message.split('\n')[0]}`];
  }
  const problems: string[] = [];
  walk(program.body, new Set(declared), problems);
  return [...new Set(problems)];
}

export type Variables = Record<string, string | null>;

type Compiled = (values: Variables) => string;
// By text, with the declaration it was compiled for: a text is compiled for the variables it may read.
const compiled = new Map<string, { declared: readonly string[]; render: Compiled }>();
const COMPILED_KEPT = 500;

const sameNames = (a: readonly string[], b: readonly string[]) => a === b || (a.length === b.length && a.every((name, i) => name === b[i]));

/** Renders a saved (so validated) template text; throws when a declared variable is missing. */
export function renderText(text: string, declared: readonly string[], variables: Variables): string {
  for (const name of declared) if (!(name in variables)) throw new MissingVariables(declared.filter((n) => !(n in variables)));
  let entry = compiled.get(text);
  if (!entry || !sameNames(entry.declared, declared)) {
    entry = { declared: [...declared], render: compileText(text, declared) };
    if (compiled.size >= COMPILED_KEPT) compiled.clear();
    compiled.set(text, entry);
  }
  return entry.render(variables);
}

/**
 * A text of the allowed form as a plain function of its variables: the parts Handlebars parsed (its
 * whitespace control applied) joined in order, a variable as its value (null: empty), `if`/`unless`
 * as Handlebars' helpers decide (an empty string or list, null, 0 and false are false). Handlebars'
 * own runtime costs a campaign about ten times more per message. Anything else, Handlebars renders.
 */
function compileText(text: string, declared: readonly string[]): Compiled {
  const program = templateProblems(text, declared).length ? null : partsOf(Handlebars.parse(text).body);
  if (program) return (values) => renderParts(program, values);
  const template = Handlebars.compile(text, {
    strict: true,
    noEscape: true,
    knownHelpersOnly: true,
    knownHelpers: { if: true, unless: true },
  });
  return (values) => template(Object.fromEntries(declared.map((name) => [name, values[name] ?? null])));
}

type Part = string | { name: string } | { test: string; negate: boolean; then: Part[]; otherwise: Part[] };

function partsOf(nodes: Node[]): Part[] | null {
  const parts: Part[] = [];
  for (const node of nodes) {
    if (node.type === 'ContentStatement') parts.push((node as hbs.AST.ContentStatement).value);
    else if (node.type === 'MustacheStatement') parts.push({ name: ((node as hbs.AST.MustacheStatement).path as Path).parts[0] });
    else if (node.type === 'BlockStatement') {
      const b = node as hbs.AST.BlockStatement;
      const then = partsOf(b.program.body);
      const otherwise = b.inverse ? partsOf(b.inverse.body) : [];
      if (!then || !otherwise) return null;
      parts.push({ test: (b.params[0] as Path).parts[0], negate: (b.path as Path).original === 'unless', then, otherwise });
    } else if (node.type !== 'CommentStatement') return null;
  }
  return parts;
}

function renderParts(parts: Part[], values: Variables): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if ('name' in part) {
      const value = values[part.name];
      if (value != null) out += value;
    } else {
      const value: unknown = values[part.test];
      const truthy = !!value && !(Array.isArray(value) && value.length === 0);
      out += renderParts(truthy !== part.negate ? part.then : part.otherwise, values);
    }
  }
  return out;
}

export class MissingVariables extends Error {
  constructor(readonly names: string[]) {
    super(`Missing variables: ${names.join(', ')}`);
  }
}
