import type { DecisionCondition, IDecisionRule } from '../../entities/index.js';
import { windowed } from './store.js';
import type { Features, Profile, Reason, ValidEvent } from './types.js';

/**
 * Decision rules as data, evaluated without I/O. A rule is a candidate for an event when its type is
 * the event's and every condition holds over the event, the customer's hot features and profile, and
 * the event's time (UTC hour). Candidates rank by priority, then score (higher first), then id, so
 * arbitration is deterministic; it then tries them in that order against the caps (decide.ts).
 */
export type RuleView = Pick<
  IDecisionRule,
  | 'id'
  | 'name'
  | 'eventType'
  | 'conditions'
  | 'action'
  | 'channels'
  | 'priority'
  | 'score'
  | 'cooldownMinutes'
  | 'dailyCap'
  | 'channelDailyCap'
  | 'budget'
>;

export type Situation = { event: ValidEvent; features: Features; profile: Profile };

const compare = (actual: number, c: DecisionCondition): boolean => {
  const n = c.number ?? Number.NaN;
  switch (c.op) {
    case 'GT':
      return actual > n;
    case 'GTE':
      return actual >= n;
    case 'LT':
      return actual < n;
    case 'LTE':
      return actual <= n;
    case 'EQ':
      return actual === n;
    case 'IN':
      return (c.values ?? []).includes(String(actual));
    case 'NOT_IN':
      return !(c.values ?? []).includes(String(actual));
  }
};

const compareText = (actual: string | null, c: DecisionCondition): boolean => {
  const values = c.values ?? [];
  if (c.op === 'IN' || c.op === 'EQ') return actual !== null && values.includes(actual);
  if (c.op === 'NOT_IN') return actual === null || !values.includes(actual);
  // Ordered comparisons need numbers; a text that is one compares as one.
  const n = actual === null ? Number.NaN : Number(actual);
  return !Number.isNaN(n) && compare(n, c);
};

/** Whether one condition holds; exported for the specs. */
export function holds(c: DecisionCondition, s: Situation): boolean {
  const at = s.event.occurredAt.getTime();
  switch (c.subject) {
    case 'PAYLOAD': {
      const value = c.key ? s.event.payload[c.key] : undefined;
      if (typeof value === 'number') return compare(value, c);
      if (typeof value === 'string' || typeof value === 'boolean') return compareText(String(value), c);
      return c.op === 'NOT_IN';
    }
    case 'COUNT':
    case 'SUM': {
      const w = windowed(s.features, c.eventType ?? s.event.type, c.windowHours ?? 24, at);
      return compare(c.subject === 'COUNT' ? w.count : w.sum, c);
    }
    case 'SEGMENT':
      return compareText(s.profile.segment, c);
    case 'PLAN': {
      const plan = s.features.plan ?? (typeof s.event.payload.plan === 'string' ? s.event.payload.plan : null);
      return compareText(plan, c);
    }
    case 'HOUR':
      return compare(new Date(at).getUTCHours(), c);
  }
}

const describe = (c: DecisionCondition) =>
  [c.subject, c.key ?? c.eventType ?? '', c.windowHours ? `${c.windowHours}h` : '', c.op, c.number ?? (c.values ?? []).join('|')]
    .filter((part) => part !== '')
    .join(' ');

// Each condition's reason is made once per loaded rule, not per event (a rule renamed since is made anew): the
// same object event after event, so the recorder serialises it once too (recorder.ts). Reasons are never changed.
const notMetReason = new WeakMap<DecisionCondition, { name: string; id: string; reason: Reason }>();
const notMet = (rule: RuleView, c: DecisionCondition): Reason => {
  let known = notMetReason.get(c);
  if (known?.name !== rule.name || known.id !== rule.id) {
    const reason = { ruleId: rule.id, code: 'CONDITION_NOT_MET', message: `${rule.name}: ${describe(c)} does not hold` };
    known = { name: rule.name, id: rule.id, reason };
    notMetReason.set(c, known);
  }
  return known.reason;
};

// Per loaded rule set (a reload is a new array) and event type: whether any of its rules reads the context.
const contextReaders = new WeakMap<readonly RuleView[], Map<string, boolean>>();

/** Whether a rule of `type` among `rules` reads the customer's hot context (COUNT, SUM or PLAN): if none does, it need not be read. */
export function readsContext(rules: readonly RuleView[], type: string): boolean {
  let byType = contextReaders.get(rules);
  if (!byType) {
    byType = new Map();
    contextReaders.set(rules, byType);
  }
  let reads = byType.get(type);
  if (reads === undefined) {
    reads = rules.some(
      (r) => r.eventType === type && r.conditions.some((c) => c.subject === 'COUNT' || c.subject === 'SUM' || c.subject === 'PLAN'),
    );
    byType.set(type, reads);
  }
  return reads;
}

/** The rules that match, best first, and a reason for each rule of the event's type that did not. */
export function candidates(rules: readonly RuleView[], s: Situation): { ranked: RuleView[]; reasons: Reason[] } {
  const ranked: RuleView[] = [];
  const reasons: Reason[] = [];
  for (const rule of rules) {
    if (rule.eventType !== s.event.type) continue;
    const failed = rule.conditions.find((c) => !holds(c, s));
    if (failed) reasons.push(notMet(rule, failed));
    else ranked.push(rule);
  }
  ranked.sort((a, b) => b.priority - a.priority || Number(b.score) - Number(a.score) || (a.id < b.id ? -1 : 1));
  return { ranked, reasons };
}
