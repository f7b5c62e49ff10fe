/** A promotion applied to a cart or kept on an order (on an order, line ids are the order's lines). */
export type AppliedDiscount = {
  promotionId: string;
  name: string;
  message: string;
  oneOff: string;
  recurring: string;
  lineIds: string[];
  couponCode: string | null;
};

/** Totals as an order stores them (decimal strings, tax-exclusive unless named otherwise). */
export type TotalsData = {
  currencyCode: string;
  subtotalOneOff: string;
  subtotalRecurring: string;
  deposit: string;
  taxOneOff: string;
  taxRecurring: string;
  /** One-off discounts (tax-exclusive). */
  discounts: string;
  /** Monthly discounts (tax-exclusive); absent on orders placed before promotions. */
  recurringDiscounts?: string;
  dueNow: string;
  monthly: string;
  /** Orders keep the promotions they were placed with. */
  appliedDiscounts?: AppliedDiscount[];
};
