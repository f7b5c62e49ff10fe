import { describe, expect, it } from 'vitest';
import { type NotifyRule, noticesFor } from './notify-on-change.js';

const rule: NotifyRule = {
  entity: 'Order',
  on: 'update',
  fields: ['status'],
  template: 'order.statusChanged',
  recipients: (row) => ({ customerId: row.customerId as string }),
  variables: (row, diff) => ({ orderNumber: row.number as string, status: row.status as string, from: String(diff.status?.from ?? '') }),
};
const row = { storefrontId: 's1', customerId: 'c1', number: 'N-1', status: 'ACTIVE' };

describe('noticesFor', () => {
  it('matches an update of a listed field, with the rule variables and the row brand', () => {
    expect(noticesFor([rule], 'Order', 'update', row, { status: { from: 'PLACED', to: 'ACTIVE' } })).toEqual([
      {
        storefrontId: 's1',
        customerId: 'c1',
        templateKey: 'order.statusChanged',
        variables: { orderNumber: 'N-1', status: 'ACTIVE', from: 'PLACED' },
      },
    ]);
  });

  it('ignores other fields, other actions and other entities', () => {
    expect(noticesFor([rule], 'Order', 'update', row, { statusReason: { from: null, to: 'x' } })).toEqual([]);
    expect(noticesFor([rule], 'Order', 'create', row, { status: { to: 'PLACED' } })).toEqual([]);
    expect(noticesFor([rule], 'Cart', 'update', row, { status: { from: 'A', to: 'B' } })).toEqual([]);
  });

  it('without fields any update matches; several actions may be listed', () => {
    const any: NotifyRule = { ...rule, fields: undefined, on: ['create', 'update'] };
    expect(noticesFor([any], 'Order', 'update', row, { statusReason: { to: 'x' } })).toHaveLength(1);
    expect(noticesFor([any], 'Order', 'create', row, {})).toHaveLength(1);
    expect(noticesFor([any], 'Order', 'delete', row, {})).toEqual([]);
  });

  it('tells nobody when the row has no recipient or no brand', () => {
    expect(noticesFor([{ ...rule, recipients: () => null }], 'Order', 'update', row, { status: {} })).toEqual([]);
    expect(noticesFor([rule], 'Order', 'update', { ...row, customerId: null }, { status: {} })).toEqual([]);
    expect(noticesFor([rule], 'Order', 'update', { ...row, storefrontId: null }, { status: {} })).toEqual([]);
    const own = { ...rule, storefrontId: () => 's2' };
    expect(noticesFor([own], 'Order', 'update', { ...row, storefrontId: null }, { status: {} })[0].storefrontId).toBe('s2');
  });

  it('tells staff members too, each once, beside or instead of the customer', () => {
    const staff: NotifyRule = {
      ...rule,
      recipients: (r) => [{ staffId: 'm1' }, { customerId: r.customerId as string }, { staffId: 'm1' }, {}],
    };
    expect(noticesFor([staff], 'Order', 'update', row, { status: {} }).map(({ customerId, staffId }) => ({ customerId, staffId }))).toEqual(
      [
        { customerId: undefined, staffId: 'm1' },
        { customerId: 'c1', staffId: undefined },
      ],
    );
  });
});
