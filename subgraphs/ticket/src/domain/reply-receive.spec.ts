import { describe, expect, it } from 'vitest';
import { emailAddressOf, phoneOf, senderMatches } from './reply-receive.js';

describe('who an inbound reply is from', () => {
  const account = { email: 'Aoife@Example.com', mobile: '+353 87 100 0001' };

  it('emails by address, whatever the display name and case', () => {
    expect(emailAddressOf('"Aoife M" <AOIFE@example.com>')).toBe('aoife@example.com');
    expect(senderMatches('EMAIL', 'Aoife <aoife@example.com>', account)).toBe(true);
    expect(senderMatches('EMAIL', 'aoife@example.com.evil.example', account)).toBe(false);
  });

  it('SMS by number, however it is spaced or prefixed', () => {
    expect(phoneOf('00353 87-100-0001')).toBe('+353871000001');
    expect(senderMatches('SMS', '+353871000001', account)).toBe(true);
    expect(senderMatches('SMS', '+353871000002', account)).toBe(false);
    expect(senderMatches('SMS', '+353871000001', { ...account, mobile: null })).toBe(false);
    expect(senderMatches('API', 'aoife@example.com', account)).toBe(false);
  });
});
