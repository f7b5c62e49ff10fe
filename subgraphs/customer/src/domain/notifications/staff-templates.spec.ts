import { describe, expect, it } from 'vitest';
import { STAFF_TEMPLATES as FIRST } from '../../../migrations/20261201-402-staff-templates.js';
import { TICKET_REPLY_TEMPLATES } from '../../../migrations/20261201-451-ticket-reply-template.js';
import { renderText, templateProblems, VARIABLE_NAME } from './template-text.js';

const STAFF_TEMPLATES = [...FIRST, ...TICKET_REPLY_TEMPLATES];

describe('default staff templates', () => {
  it.each(STAFF_TEMPLATES.map((t) => [t.key, t] as const))('%s parses and uses only its declared variables', (_, t) => {
    expect(t.variables.every((v) => VARIABLE_NAME.test(v))).toBe(true);
    expect(new Set(t.variables).size).toBe(t.variables.length);
    expect(templateProblems(t.subject, t.variables)).toEqual([]);
    expect(templateProblems(t.body, t.variables)).toEqual([]);
    expect(t.variables).toContain('name');
    // Every declared variable given (nulls for the optional ones) renders.
    const values = Object.fromEntries(t.variables.map((v) => [v, v === 'name' ? 'Liam' : null]));
    expect(renderText(t.body, t.variables, values)).toContain('Hi Liam');
  });

  it('covers the events other modules notify staff of', () => {
    expect(STAFF_TEMPLATES.map((t) => t.key)).toEqual(
      expect.arrayContaining([
        'lead.assigned',
        'opportunity.escalated',
        'quote.approvalRequested',
        'ticket.assigned',
        'ticket.escalated',
        'ticket.customerReplied',
        'contract.renewalDue',
      ]),
    );
  });
});
