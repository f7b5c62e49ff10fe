import { describe, expect, expectTypeOf, it } from 'vitest';
import { documentText, type ResultOf, type VariablesOf } from '../src/document.js';
import { ProductsDocument, type ProductsQuery, type ProductsQueryVariables } from '../src/generated/graphql.js';
import { backoff, parseRetryAfter, RETRY_DEFAULTS, retryDelay } from '../src/retry.js';
import { jwtClaims, localExpiry, renewDue, stillValid } from '../src/session.js';
import { parseGraphQLResponse } from '../src/transport.js';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const jwt = (claims: Record<string, unknown>) =>
  ['{"alg":"HS256"}', JSON.stringify(claims)].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.sig';

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates; ignores what is neither', () => {
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:00:05 GMT', NOW)).toBe(5000);
    expect(parseRetryAfter('Sat, 28 Nov 2026 09:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter('-3', NOW)).toBeNull();
    expect(parseRetryAfter('1.5', NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
  });

  it('waits what the server asks up to the cap, backs off otherwise, and stops after the attempts', () => {
    const options = { ...RETRY_DEFAULTS, attempts: 2, baseDelayMs: 100, maxDelayMs: 5000 };
    expect(retryDelay('3', 0, NOW, options)).toBe(3000);
    expect(retryDelay('60', 0, NOW, options)).toBeNull();
    expect(retryDelay(null, 1, NOW, options, () => 1)).toBe(200);
    expect(retryDelay('1', 2, NOW, options)).toBeNull();
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoff(0, 300, 10_000, () => 1)).toBe(300);
    expect(backoff(3, 300, 10_000, () => 1)).toBe(2400);
    expect(backoff(3, 300, 10_000, () => 0)).toBe(1200);
    expect(backoff(20, 300, 10_000, () => 1)).toBe(10_000);
  });
});

describe('token expiry', () => {
  it('counts a JWT lifetime from when it arrived, so a wrong device clock does not matter', () => {
    // Issued by a server whose clock is an hour ahead of this device.
    const token = jwt({ sub: 'c', iat: NOW / 1000 + 3600, exp: NOW / 1000 + 3600 + 900 });
    expect(localExpiry(token, '2026-11-28T11:15:00Z', NOW)).toBe(NOW + 900_000);
    expect(jwtClaims(token)).toMatchObject({ sub: 'c' });
  });

  it("falls back to the server's expiry for opaque tokens, and to none", () => {
    expect(localExpiry('opaque', '2026-11-28T10:15:00Z', NOW)).toBe(NOW + 900_000);
    expect(localExpiry('opaque', null, NOW)).toBeNull();
    expect(jwtClaims('a.b.c')).toBeNull();
  });

  it('renews a renewable session within the margin before expiry, never one without a refresh token', () => {
    const session = { accessToken: 't', refreshToken: 'r', expiresAt: NOW + 120_000 };
    expect(renewDue(session, NOW, 60_000)).toBe(false);
    expect(renewDue(session, NOW + 60_000, 60_000)).toBe(true);
    expect(renewDue({ ...session, refreshToken: null }, NOW + 119_000, 60_000)).toBe(false);
    expect(renewDue({ accessToken: 't', refreshToken: 'r' }, NOW, 60_000)).toBe(false);
    expect(stillValid(session, NOW + 119_999)).toBe(true);
    expect(stillValid(session, NOW + 120_000)).toBe(false);
  });
});

describe('responses and documents', () => {
  it('takes GraphQL JSON whatever else it carries, and nothing else', () => {
    expect(parseGraphQLResponse('{"data":{"a":1}}')).toEqual({ data: { a: 1 } });
    expect(parseGraphQLResponse('{"errors":[{"message":"x"}],"extensions":{"k":1}}')).toEqual({
      data: null,
      errors: [{ message: 'x' }],
      extensions: { k: 1 },
    });
    expect(parseGraphQLResponse('<html>Bad gateway</html>')).toBeNull();
    expect(parseGraphQLResponse('{"error":"not found"}')).toBeNull();
    expect(parseGraphQLResponse('[1]')).toBeNull();
  });

  it('sends documents with variables only and a stable text', () => {
    const text = documentText(ProductsDocument);
    expect(text).toBe(ProductsDocument);
    expect(text).toMatch(/^query Products\(\$first:Int=20\$after:String\$query:String/);
    expect(text).toContain('fragment ProductCard on Product');
    expect(documentText({ kind: 'Document', loc: { source: { body: '{ a }' } } })).toBe('{ a }');
    expect(() => documentText({ kind: 'Document', definitions: [] })).toThrow(TypeError);
  });
});

describe('typed documents', () => {
  it('carry their result and variables types (checked by the SDK type-check in lint)', () => {
    expectTypeOf<ResultOf<typeof ProductsDocument>>().toEqualTypeOf<ProductsQuery>();
    expectTypeOf<VariablesOf<typeof ProductsDocument>>().toEqualTypeOf<ProductsQueryVariables>();
  });
});
