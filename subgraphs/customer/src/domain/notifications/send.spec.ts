import { describe, expect, it } from 'vitest';
import { type Account, channelsFor, type SendItem } from './send.js';

const account = (consents: string[], preferences: Account['preferences'] = []): Account => ({
  id: 'c',
  name: 'A',
  email: 'a@example.com',
  mobile: null,
  consents: consents.map((channel) => ({ channel, granted: true })),
  preferences,
});
const item = (over: Partial<SendItem> = {}): SendItem => ({ customerId: 'c', templateKey: 'k', variables: {}, marketing: true, ...over });

describe('which channels a notification takes', () => {
  it('marketing: the inbox plus preferred channels the customer consented to (EMAIL when no preference)', () => {
    expect(channelsFor(item({ preferenceType: 'OFFERS' }), account(['EMAIL']))).toEqual(['SITE_MESSAGE', 'EMAIL']);
    const prefers = account(['SMS'], [{ type: 'OFFERS', channels: ['EMAIL', 'SMS'] }]);
    expect(channelsFor(item({ preferenceType: 'OFFERS' }), prefers)).toEqual(['SITE_MESSAGE', 'SMS']);
  });

  it('marketing to an account without any consent sends nothing', () => {
    expect(channelsFor(item(), account([]))).toBe('OPTED_OUT');
    expect(channelsFor(item({ channels: ['SITE_MESSAGE'] }), account([]))).toBe('OPTED_OUT');
  });

  it('asked channels are kept as asked, less unconsented ones for marketing', () => {
    expect(channelsFor(item({ channels: ['EMAIL', 'SMS', 'PUSH', 'EMAIL'] }), account(['EMAIL']))).toEqual(['EMAIL']);
    expect(channelsFor(item({ channels: ['EMAIL', 'PUSH'], marketing: false }), account([]))).toEqual(['EMAIL', 'PUSH']);
    expect(channelsFor(item({ channels: ['PUSH', 'SMS'] }), account(['PUSH']))).toEqual(['PUSH']);
  });

  it('PUSH is a consent and a preference like EMAIL and SMS', () => {
    const app = account(['PUSH', 'EMAIL'], [{ type: 'OFFERS', channels: ['PUSH'] }]);
    expect(channelsFor(item({ preferenceType: 'OFFERS' }), app)).toEqual(['SITE_MESSAGE', 'PUSH']);
    expect(channelsFor(item({ preferenceType: 'OFFERS' }), account(['EMAIL'], [{ type: 'OFFERS', channels: ['PUSH'] }]))).toEqual([
      'SITE_MESSAGE',
    ]);
  });

  it('staff: their inbox and EMAIL unless channels are asked, never marketing', () => {
    const staff: Account = { ...account([]), staff: true };
    expect(channelsFor(item({ staffId: 's', customerId: null, marketing: false }), staff)).toEqual(['SITE_MESSAGE', 'EMAIL']);
    expect(channelsFor(item({ staffId: 's', customerId: null, marketing: false, channels: ['EMAIL'] }), staff)).toEqual(['EMAIL']);
    expect(channelsFor(item({ staffId: 's', customerId: null, marketing: true }), staff)).toBe('OPTED_OUT');
  });
});
