import { Checks, ok, type Principal } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Channel, Customer, Interaction, Staff } from '../entities/index.js';
import type { CustomerLoaders } from '../loaders.js';
import type { ErrorCode, Result } from './customer.errors.js';
import { targetAccount } from './profile.js';

export type InteractionLogInput = {
  customerId: string;
  channel: Channel;
  direction: 'INBOUND' | 'OUTBOUND';
  notes: string;
  occurredAt?: Date | null;
};

export async function interactionLog(
  ctx: { em: EntityManager; principal: Principal; loaders: CustomerLoaders },
  input: InteractionLogInput,
) {
  const found = await targetAccount(ctx, input.customerId, ['input', 'customerId'], 'interaction:write');
  if (!found.ok) return found;
  const checks = new Checks<ErrorCode>();
  checks.text(input.notes, ['input', 'notes'], 5000);
  if (input.occurredAt && input.occurredAt.getTime() > Date.now() + 60_000)
    checks.add('INVALID', 'Cannot be in the future', ['input', 'occurredAt']);
  if (!checks.ok) return { ok: false, errors: checks.errors } as Result<never>;
  const interaction = ctx.em.create(Interaction, {
    customer: ctx.em.getReference(Customer, found.value.id),
    channel: input.channel,
    direction: input.direction,
    notes: input.notes.trim(),
    occurredAt: input.occurredAt ?? new Date(),
    staff: ctx.principal.kind === 'staff' && ctx.principal.id ? ctx.em.getReference(Staff, ctx.principal.id) : null,
  });
  await ctx.em.flush();
  return ok({
    id: interaction.id,
    channel: interaction.channel,
    direction: interaction.direction,
    occurredAt: interaction.occurredAt,
    notes: interaction.notes,
    staffId: interaction.staff?.id ?? null,
  });
}
