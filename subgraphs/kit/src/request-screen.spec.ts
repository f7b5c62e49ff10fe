import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { containsNullByte, MAX_NESTING, nestsDeeperThan, screenOperation } from './request-screen.js';

const code = (parts: Parameters<typeof screenOperation>[0]) => screenOperation(parts)?.extensions.code ?? null;

describe('nestsDeeperThan', () => {
  it('counts braces, brackets and parentheses together', () => {
    expect(nestsDeeperThan('{ a { b } }', 2)).toBe(false);
    expect(nestsDeeperThan('{ a { b(x: [1]) } }', 3)).toBe(true);
  });

  it('ignores strings, block strings and comments, and does not recurse', () => {
    expect(nestsDeeperThan(`# ${'{'.repeat(100)}\n{ a(s: "${'{'.repeat(100)}\\"{", t: """${'['.repeat(100)}\\""" (""") }`, 3)).toBe(false);
    expect(nestsDeeperThan('{'.repeat(1_000_000), MAX_NESTING)).toBe(true);
  });
});

describe('containsNullByte', () => {
  it('finds U+0000 in nested strings and keys, iteratively', () => {
    expect(containsNullByte({ a: ['ok', { b: 'x\0y' }] })).toBe(true);
    expect(containsNullByte({ 'k\0': 1 })).toBe(true);
    expect(containsNullByte({ a: ['ok', 1, null, true] })).toBe(false);
    let deep: unknown = 'ok';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(containsNullByte(deep)).toBe(false);
    expect(containsNullByte(new Array(500_000).fill(0))).toBe(false);
  });
});

describe('screenOperation', () => {
  it('refuses null bytes in literals and variables, not in block strings or other escapes', () => {
    expect(code({ query: '{ a(s: "x\\u0000") }' })).toBe('BAD_USER_INPUT');
    expect(code({ query: '{ a(s: "x\\u{00}") }' })).toBe('BAD_USER_INPUT');
    expect(code({ query: '{ a(s: """x\\u0000""") }' })).toBeNull();
    expect(code({ query: '{ a(s: "\\u0041") }' })).toBeNull();
    expect(code({ query: 'query ($s: String) { a(s: $s) }', variables: { s: '\0' } })).toBe('BAD_USER_INPUT');
  });

  it('refuses malformed or mismatched persisted-query hashes, accepts a matching one', () => {
    const query = '{ a }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    expect(code({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } })).toBeNull();
    expect(code({ extensions: { persistedQuery: { version: 1, sha256Hash } } })).toBeNull();
    expect(code({ extensions: { persistedQuery: { version: 1, sha256Hash: 'zz' } } })).toBe('BAD_REQUEST');
    expect(code({ extensions: { persistedQuery: { version: 1, sha256Hash: { $ne: 1 } } } })).toBe('BAD_REQUEST');
    expect(code({ extensions: { persistedQuery: { version: 2, sha256Hash } } })).toBe('BAD_REQUEST');
    expect(code({ query: '{ b }', extensions: { persistedQuery: { version: 1, sha256Hash } } })).toBe('BAD_REQUEST');
  });

  it('calls runaway nesting too deep', () => {
    const error = screenOperation({ query: `{ ${'a { '.repeat(5000)}b${' }'.repeat(5000)} }` });
    expect(error?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error?.message).toMatch(/too deep/);
  });
});
