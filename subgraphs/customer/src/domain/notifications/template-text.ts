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

const compiled = new Map<string, Handlebars.TemplateDelegate>();
const COMPILED_KEPT = 500;

/** Renders a saved (so validated) template text; throws when a declared variable is missing. */
export function renderText(text: string, declared: readonly string[], variables: Variables): string {
  const missing = declared.filter((name) => !(name in variables));
  if (missing.length) throw new MissingVariables(missing);
  let template = compiled.get(text);
  if (!template) {
    template = Handlebars.compile(text, { strict: true, noEscape: true, knownHelpersOnly: true, knownHelpers: { if: true, unless: true } });
    if (compiled.size >= COMPILED_KEPT) compiled.clear();
    compiled.set(text, template);
  }
  const values = Object.fromEntries(declared.map((name) => [name, variables[name] ?? null]));
  return template(values);
}

export class MissingVariables extends Error {
  constructor(readonly names: string[]) {
    super(`Missing variables: ${names.join(', ')}`);
  }
}
