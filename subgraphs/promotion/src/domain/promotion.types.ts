/** Decimal string with at most two decimals ("19.99"); all arithmetic happens in integer minor units. */
export type Money = string;

export type LineKind = 'PLAN' | 'ADDON' | 'DEVICE' | 'BUNDLE';
export type Channel = 'WEB' | 'APP' | 'CHATBOT' | 'STORE' | 'AGENT';
export type PriceTarget = 'ONE_OFF' | 'RECURRING';

export type CartLineInput = {
  lineId: string;
  productId: string;
  categoryId: string | null;
  kind: LineKind;
  quantity: number;
  unitRecurring: Money | null;
  unitOneOff: Money | null;
  parentLineId: string | null;
};

export type EvaluationCustomer = {
  id: string;
  segment: string;
  category: string;
  country: string | null;
  region: string | null;
  isFirstOrder: boolean;
};

export type EvaluationContext = {
  now: Date;
  storefrontId: string;
  channel: Channel;
  customer: EvaluationCustomer | null;
  couponCodes: string[];
  /** promotionId → redemptions so far, overall and by this customer. */
  usage: { total: Record<string, number>; byCustomer: Record<string, number> };
  /** Where messages are looked for, in order: the request's locale, its language, the storefront's locale, its language (kit `localeChain`). */
  locales: string[];
};

export type Condition =
  | { type: 'STOREFRONT'; storefrontIds: string[] }
  | { type: 'SEGMENT'; segments: string[] }
  | { type: 'CUSTOMER_CATEGORY'; categories: string[] }
  | { type: 'GEOGRAPHY'; countries?: string[]; regions?: string[] }
  | { type: 'CHANNEL'; channels: string[] }
  | { type: 'PRODUCTS_IN_CART'; productIds: string[]; minQuantity?: number }
  | { type: 'CATEGORIES_IN_CART'; categoryIds: string[] }
  | { type: 'MIN_SUBTOTAL'; amount: Money; basis: PriceTarget }
  | { type: 'FIRST_ORDER' }
  | { type: 'DATE_WINDOW'; from?: string; to?: string };

export type Action =
  /** `months` is how long a recurring discount lasts: informational, for messages and the order. */
  | { type: 'PERCENT_OFF'; percent: number; target: PriceTarget | 'BOTH'; productIds?: string[]; months?: number }
  | { type: 'AMOUNT_OFF'; amount: Money; target: PriceTarget }
  | { type: 'FIXED_PRICE'; productId: string; price: Money; target: PriceTarget }
  /** The add-on line (in the cart under a parent line) becomes free, recurring and one-off. */
  | { type: 'FREE_ADDON'; addonProductId: string }
  /** When all products are in the cart, their combined price becomes `price`. */
  | { type: 'BUNDLE_PRICE'; productIds: string[]; price: Money; target: PriceTarget };

export type Promotion = {
  id: string;
  name: string;
  /** Higher first. */
  priority: number;
  stacking: 'EXCLUSIVE' | 'COMBINABLE';
  couponCode: string | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
  conditions: Condition[];
  actions: Action[];
  /** locale → template, e.g. "{{percent}}% off {{product}} for {{months}} months". */
  messages: Record<string, string>;
  active: boolean;
};

export type AppliedDiscount = {
  promotionId: string;
  name: string;
  message: string;
  oneOff: Money;
  recurring: Money;
  lineIds: string[];
  /** What it took from each line it discounted (tax-exclusive), in cart order. */
  lines: { lineId: string; oneOff: Money; recurring: Money }[];
  couponCode: string | null;
};

export type RejectionCode =
  | 'NOT_STARTED'
  | 'EXPIRED'
  | 'EXHAUSTED'
  | 'CUSTOMER_LIMIT'
  | 'INELIGIBLE'
  | 'COUPON_REQUIRED'
  | 'NOT_COMBINABLE';

export type Rejection = { promotionId: string; code: RejectionCode; couponCode: string | null };

/** `totalOneOff` / `totalRecurring` are the summed discounts, not the cart totals. */
export type Evaluation = { discounts: AppliedDiscount[]; totalOneOff: Money; totalRecurring: Money; rejections: Rejection[] };
