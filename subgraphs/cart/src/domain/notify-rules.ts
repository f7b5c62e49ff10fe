import type { NotifyRule, TotalsData } from '@dcrm/kit';

/**
 * What cart's changes tell whom (kit notify-on-change.ts): an order's status change tells its customer
 * (`order.statusChanged`, in the same transaction as the change, sent after commit); an order held
 * over a spend budget tells the holder of the account above (`order.approvalRequested`).
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
  {
    entity: 'Order',
    on: 'create',
    template: 'order.approvalRequested',
    recipients: (order) => (order.status === 'PENDING_APPROVAL' && order.approverId ? { customerId: order.approverId as string } : null),
    variables: (order) => {
      const totals = order.totals as TotalsData;
      return {
        orderNumber: order.number as string,
        orderId: order.id as string,
        dueNow: totals.dueNow,
        monthly: totals.monthly,
        currencyCode: order.currencyCode as string,
        reason: (order.statusReason as string | null) ?? null,
      };
    },
  },
];
