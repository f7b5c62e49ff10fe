import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from './signed-token.js';

describe('signed tokens', () => {
  const token = signToken('secret-a', 'ticket-reply', { t: 'ticket-1', c: 'customer-1' });

  it('verify with the same secret and purpose, and carry their data', () => {
    expect(verifyToken('secret-a', 'ticket-reply', token)).toEqual({ t: 'ticket-1', c: 'customer-1' });
  });

  it('never verify with another secret or purpose, tampered or malformed', () => {
    const [payload, mac] = token.split('.');
    const other = Buffer.from(JSON.stringify({ t: 'ticket-2', c: 'customer-1' })).toString('base64url');
    expect(verifyToken('secret-b', 'ticket-reply', token)).toBeNull();
    expect(verifyToken('secret-a', 'unsubscribe', token)).toBeNull();
    expect(verifyToken('secret-a', 'ticket-reply', `${other}.${mac}`)).toBeNull();
    expect(verifyToken('secret-a', 'ticket-reply', payload)).toBeNull();
    expect(verifyToken('secret-a', 'ticket-reply', `${token}.x`)).toBeNull();
    expect(verifyToken('secret-a', 'ticket-reply', '')).toBeNull();
  });
});
