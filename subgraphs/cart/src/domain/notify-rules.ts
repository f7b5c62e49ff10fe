import type { NotifyRule } from '@dcrm/kit';

/**
 * What cart's changes tell whom (kit notify-on-change.ts): an order's status change tells its customer
 * (`order.statusChanged`, in the same transaction as the change, sent after commit).
 */
export const notifyRules: NotifyRule[] = [
  {
    entity: 'Order',
    on: 'update',
    fields: ['status'],
    template: 'order.statusChanged',
    recipients: (order) => ({ customerId: order.customerId as string }),
    variables: (order) => ({
      orderNumber: order.number as string,
      status: order.status as string,
      reason: (order.statusReason as string | null) ?? null,
    }),
  },
];
