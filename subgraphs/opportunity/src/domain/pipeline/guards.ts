import { type Principal, userError } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CustomFieldDefinition, type IOpportunity, type IPipelineStage, OpportunityLine } from '../../entities/index.js';
import type { UserError } from '../opportunity.errors.js';
import { missingRequired } from './custom-fields.js';

/**
 * Transition guards: named checks a transition row lists (`stage_transition.guards`). Each answers
 * null (pass) or a UserError saying what is missing. The registry is open: another module adds its
 * checks with `registerGuard` at import (e.g. approvals done before WON), and data names them. A name
 * nobody registered fails the transition, so a typo in the data never waves an opportunity through.
 */
export type GuardContext = {
  tx: EntityManager;
  principal: Principal;
  opportunity: IOpportunity;
  from: IPipelineStage;
  to: IPipelineStage;
};
export type Guard = (ctx: GuardContext) => Promise<UserError | null>;

const registry = new Map<string, Guard>();

export function registerGuard(name: string, guard: Guard): void {
  registry.set(name, guard);
}

export const guardNames = (): string[] => [...registry.keys()].sort();

/** Every listed guard's problem, in order. */
export async function runGuards(names: readonly string[], ctx: GuardContext): Promise<UserError[]> {
  const errors: UserError[] = [];
  for (const name of names) {
    const guard = registry.get(name);
    const problem = guard ? await guard(ctx) : userError('GUARD_UNKNOWN', `The pipeline names an unknown check ${name}`, ['input', 'to']);
    if (problem) errors.push(problem);
  }
  return errors;
}

const field = ['input', 'to'];

registerGuard('HAS_LINES', async ({ tx, opportunity, to }) => {
  const lines = await tx.count(OpportunityLine, { opportunityId: opportunity.id });
  return lines > 0 ? null : userError('GUARD_HAS_LINES', `Add a plan or offer before ${to.name}`, field);
});

registerGuard('CUSTOM_FIELDS_COMPLETE', async ({ tx, opportunity, to }) => {
  const definitions = await tx.find(CustomFieldDefinition, { storefrontId: opportunity.storefrontId, entity: 'OPPORTUNITY' });
  const missing = missingRequired(definitions, opportunity.customFields ?? {}, ['input', 'customFields']);
  return missing.length === 0
    ? null
    : userError(
        'GUARD_CUSTOM_FIELDS',
        `Fill in ${missing.map((m) => m.message.replace(' is required', '')).join(', ')} before ${to.name}`,
        field,
      );
});
