import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildSchema, type DefinitionNode, Kind, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../stack/src/stack.js';
import { client, KEYS, type Response, registerCustomer, signIn, startTestStack } from './support/stack.js';

/**
 * The README's GraphQL examples, as written. The convention (also stated in the README, "Examples in
 * this README"):
 *
 * - Every ```graphql block is checked: each operation in it must parse and validate against the public
 *   API (`schema/api.graphql`); a block marked ```graphql internal against the supergraph (fields a
 *   service calls that the router does not serve). A block of type definitions (SDL) is skipped.
 * - A block marked ```graphql live is also run, in README order, against a live stack on the seeded
 *   demo data. Each operation must answer without errors and with every `userErrors` list empty.
 *   Comment lines between operations steer the run:
 *   - `# as <who>` — who sends what follows: `shopper` (Volt's public key; the default), `a new
 *     customer` (registered and signed in with Volt's key), or a demo e-mail address (staff when
 *     the address is at volt.example, nimbus.example or dcrm.example, else a Volt customer);
 *   - `# -> <name> = path, …` — after the operation above it, remembers `data.<path>` of its answer
 *     (dot-separated, numbers index lists) as `<name>`;
 *   - a string literal `"<name>"` in a later operation is replaced by that value; `"<uuid>"` is a new
 *     UUID each time.
 */

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const API = buildSchema(readFileSync(new URL('../schema/api.graphql', import.meta.url), 'utf8'));
const SUPERGRAPH = buildSchema(readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'));

type Block = { line: number; marks: string[]; text: string };

const blocks: Block[] = [...README.matchAll(/^```graphql([^\n]*)\n([\s\S]*?)^```/gm)].map((m) => ({
  line: README.slice(0, m.index).split('\n').length,
  marks: (m[1] ?? '').trim().split(/\s+/).filter(Boolean),
  text: m[2] ?? '',
}));

const isExecutable = (d: DefinitionNode) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION;

/** An operation of a live block: its text, who sends it, and what to remember of its answer. */
type Step = { block: number; text: string; as: string; keep: [string, string][] };

function stepsOf(block: Block, index: number, as: string): { steps: Step[]; as: string } {
  const document = parse(block.text);
  const steps: Step[] = [];
  let cursor = 0;
  let who = as;
  const comments = (from: number, to: number) =>
    block.text
      .slice(from, to)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('#'));
  const apply = (lines: string[]) => {
    for (const line of lines) {
      const keep = /^#\s*->\s*(.+)$/.exec(line);
      if (keep) {
        const previous = steps.at(-1);
        if (!previous) throw new Error(`README line ${block.line}: "# ->" before any operation`);
        for (const pair of (keep[1] as string).split(',')) {
          const [name, path] = pair.split('=').map((s) => s.trim());
          if (!name || !path || !/^<[^>]+>$/.test(name)) throw new Error(`README line ${block.line}: bad "# ->" entry "${pair}"`);
          previous.keep.push([name, path]);
        }
      }
      const sender = /^#\s*as\s+(.+)$/.exec(line);
      if (sender) who = (sender[1] as string).trim();
    }
  };
  for (const definition of document.definitions) {
    const loc = definition.loc as { start: number; end: number };
    apply(comments(cursor, loc.start));
    steps.push({ block: index, text: block.text.slice(loc.start, loc.end), as: who, keep: [] });
    cursor = loc.end;
  }
  apply(comments(cursor, block.text.length));
  return { steps, as: who };
}

describe('README GraphQL examples', () => {
  it('has examples, and live ones', () => {
    expect(blocks.length).toBeGreaterThan(10);
    expect(blocks.filter((b) => b.marks.includes('live')).length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((b) => [b.line, b] as const))('the block at README line %i validates against the schema', (_line, block) => {
    const document = parse(block.text);
    if (!document.definitions.every(isExecutable)) {
      // Type definitions (how to extend Customer): nothing to run.
      expect(block.marks).not.toContain('live');
      return;
    }
    const schema = block.marks.includes('internal') ? SUPERGRAPH : API;
    const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    for (const definition of document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)) {
      const errors = validate(schema, { kind: Kind.DOCUMENT, definitions: [definition, ...fragments] });
      expect(errors.map((e) => e.message)).toEqual([]);
    }
  });
});

describe('README live walkthroughs', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.stop());

  type Gql = (query: string) => Promise<Response>;

  async function sender(who: string): Promise<Gql> {
    const handler = stack.router.handler;
    if (who.startsWith('shopper')) return client(handler, KEYS.volt);
    if (/^a new customer/.test(who)) return (await registerCustomer(handler, KEYS.volt, { prefix: 'readme' })).gql;
    const email = /[\w.+-]+@[\w.-]+\.\w+/.exec(who)?.[0];
    if (!email) throw new Error(`"# as ${who}": name shopper, a new customer or a demo e-mail address`);
    if (/@(volt|nimbus|dcrm)\.example$/.test(email)) return (await signIn(handler, 'staffLogin', email)).gql;
    return (await signIn(handler, 'customerLogin', email, KEYS.volt)).gql;
  }

  function at(data: unknown, path: string): unknown {
    return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | null)?.[key], data);
  }

  /** Every `userErrors` list in an answer, wherever it is. */
  function userErrors(value: unknown): unknown[] {
    if (!value || typeof value !== 'object') return [];
    if (Array.isArray(value)) return value.flatMap(userErrors);
    return Object.entries(value).flatMap(([key, v]) => (key === 'userErrors' && Array.isArray(v) ? v : userErrors(v)));
  }

  it('runs every live block in order, each operation answering without errors', async () => {
    const values = new Map<string, unknown>();
    const clients = new Map<string, Gql>();
    let as = 'shopper';
    const steps: Step[] = [];
    blocks.forEach((block, index) => {
      if (!block.marks.includes('live')) return;
      const parsed = stepsOf(block, index, as);
      steps.push(...parsed.steps);
      as = parsed.as;
    });
    for (const step of steps) {
      const text = step.text.replace(/"<([^>"]+)>"/g, (_whole, name: string) => {
        if (name === 'uuid') return JSON.stringify(randomUUID());
        if (!values.has(`<${name}>`))
          throw new Error(`README line ${blocks[step.block]?.line}: "<${name}>" is not kept by an earlier "# ->"`);
        return JSON.stringify(values.get(`<${name}>`));
      });
      let gql = clients.get(step.as);
      if (!gql) {
        gql = await sender(step.as);
        clients.set(step.as, gql);
      }
      const res = await gql(text);
      const where = `README line ${blocks[step.block]?.line}: ${step.text.slice(0, 80)}`;
      expect({ where, errors: res.body.errors ?? [] }).toEqual({ where, errors: [] });
      expect({ where, userErrors: userErrors(res.body.data) }).toEqual({ where, userErrors: [] });
      for (const [name, path] of step.keep) {
        const value = at(res.body.data, path);
        expect({ where, [name]: value }).not.toEqual({ where, [name]: undefined });
        values.set(name, value);
      }
    }
    expect(steps.length).toBeGreaterThanOrEqual(6);
  });
});
