import { ConnectionException, DriverException } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fail, isUnavailable, maskErrors, ok, payload, type Result } from './errors.js';
import { Checks } from './validate.js';

const wrapped = (cause: unknown) => new GraphQLError('boom', { originalError: cause as Error, path: ['customerUpdate'] });
const pgError = (code: string, message = 'pg says no') => Object.assign(new Error(message), { code });

describe('maskErrors and database blips', () => {
  const logged: unknown[] = [];
  const mask = maskErrors((e) => logged.push(e));
  const format = (error: GraphQLError) => mask(error.toJSON(), error);

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['an admin shutdown (57P01)', new DriverException(pgError('57P01', 'terminating connection due to administrator command'))],
    ['a server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a class 08 connection exception', pgError('08006')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool acquisition timeout', new Error('timeout exceeded when trying to connect')],
    ['a MikroORM ConnectionException', new ConnectionException(new Error('gone'))],
    ['a refusal wrapped in an AggregateError', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])],
  ])('answers SERVICE_UNAVAILABLE, retryable, for %s', (_name, cause) => {
    logged.length = 0;
    expect(isUnavailable(wrapped(cause))).toBe(true);
    expect(format(wrapped(cause))).toEqual({
      message: 'Service temporarily unavailable, retry',
      path: ['customerUpdate'],
      extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
    });
    expect(logged).toEqual([]);
  });

  it.each([
    ['a unique violation (23505)', new DriverException(pgError('23505', 'duplicate key value violates unique constraint "x"'))],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('still masks %s as INTERNAL_SERVER_ERROR and logs it', (_name, cause) => {
    logged.length = 0;
    expect(isUnavailable(wrapped(cause))).toBe(false);
    expect(format(wrapped(cause))).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logged).toHaveLength(1);
  });

  it('lets a SERVICE_UNAVAILABLE from a subgraph through the router unchanged', () => {
    const relayed = new GraphQLError('Service temporarily unavailable, retry', {
      extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
    });
    expect(format(relayed).extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });
  });
});

describe('typed user error codes', () => {
  type Family = 'NOT_FOUND' | 'TAKEN' | 'INVALID';
  const lookup = (found: boolean): Result<number, Family> => (found ? ok(1) : fail('NOT_FOUND', 'No such thing', ['input', 'id']));

  it('keeps the literal code through fail and payload', () => {
    const body = payload('thing', lookup(false));
    expect(body).toEqual({ thing: null, userErrors: [{ code: 'NOT_FOUND', message: 'No such thing', field: ['input', 'id'] }] });
    const code: Family | undefined = body.userErrors[0]?.code;
    expect(code).toBe('NOT_FOUND');
  });

  it('refuses, at compile time, a code the family does not list (tsc checks the expect-error lines)', () => {
    // @ts-expect-error CONFLICT is not one of the family's codes
    const refused: Result<number, Family> = fail('CONFLICT', 'Changed meanwhile');
    expect(refused.ok).toBe(false);
    const checks = new Checks<Family>();
    checks.uuid('not-a-uuid', ['input', 'id']);
    // @ts-expect-error text() may add BLANK and TOO_LONG, which the family does not list
    checks.text('', ['input', 'name'], 10);
    expect(checks.errors.map((e) => e.code)).toEqual(['INVALID', 'BLANK']);
  });
});
