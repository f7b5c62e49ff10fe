import { actingStorefront, Checks, type Clock, fail, hasScope, isUuid, ok, type Peers, type Principal } from '@dcrm/kit';
import { OptimisticLockError } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  APPROVAL_SCOPES,
  type Decision,
  type IOpportunity,
  type IOpportunityTask,
  isApproval,
  Opportunity,
  OpportunityTask,
  type TaskKind,
  type TaskStatus,
} from '../../entities/index.js';
import type { ErrorCode, Result } from '../opportunity.errors.js';
import { workOpportunity, writableOpportunity } from './access.js';
import { touchActivity } from './activity.js';
import { staffErrors } from './staff-checks.js';

export type TaskCreateInput = {
  opportunityId: string;
  kind: TaskKind;
  title?: string | null;
  assigneeStaffId?: string | null;
  dueAt?: Date | null;
  progress?: number | null;
  notes?: string | null;
};
export type TaskUpdateInput = {
  id: string;
  version: number;
  title?: string | null;
  assigneeStaffId?: string | null;
  dueAt?: Date | null;
  status?: TaskStatus | null;
  progress?: number | null;
  notes?: string | null;
};
export type TaskDecideInput = { id: string; version: number; decision: Decision; comment?: string | null };

const f = (...path: string[]) => ['input', ...path];
const TITLES: Record<TaskKind, string> = {
  CALL: 'Call',
  MEETING: 'Meeting',
  SITE_SURVEY: 'Site survey',
  CREDIT_CHECK: 'Credit check',
  BUDGET_APPROVAL: 'Finance budget approval',
  MANAGER_APPROVAL: 'Sales manager validation',
  OTHER: 'Task',
};

function checkFields(input: Omit<TaskUpdateInput, 'id' | 'version'>, checks: Checks<ErrorCode>): void {
  if (input.title != null) checks.text(input.title, f('title'), 200);
  if (input.assigneeStaffId != null) checks.uuid(input.assigneeStaffId, f('assigneeStaffId'));
  if (input.progress != null) checks.int(input.progress, f('progress'), 0, 100);
  checks.text(input.notes, f('notes'), 5000, false);
}

export type TaskDeps = { clock: Clock; peers: Peers };

/**
 * The assignee must be an active staff member granted the opportunity's brand and segment. Checked
 * before the transaction (a directory call) on the opportunity as read then; one the caller cannot
 * reach is left to the transaction's NOT_FOUND.
 */
async function assigneeErrors(deps: TaskDeps, opportunity: IOpportunity | null, assigneeStaffId: string | null | undefined) {
  if (!assigneeStaffId || !opportunity) return [];
  return staffErrors(deps.peers, opportunity.storefrontId, opportunity.segment, [
    { staffId: assigneeStaffId, field: f('assigneeStaffId') },
  ]);
}

/** A task on an opportunity the caller may write (its segment, its owner, or shared with write). */
export async function taskCreate(
  em: EntityManager,
  deps: TaskDeps,
  principal: Principal,
  input: TaskCreateInput,
): Promise<Result<IOpportunityTask>> {
  const { clock } = deps;
  const checks = new Checks<ErrorCode>();
  checkFields(input, checks);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (input.assigneeStaffId) {
    const refused = await assigneeErrors(deps, await workOpportunity(em, principal, input.opportunityId, 'write'), input.assigneeStaffId);
    if (refused.length) return { ok: false, errors: refused };
  }
  return em.transactional(async (tx) => {
    const reached = await writableOpportunity(tx, principal, input.opportunityId, f('opportunityId'));
    if (!reached.ok) return reached;
    const opportunity = reached.value;
    const now = clock.now();
    const task = tx.create(OpportunityTask, {
      opportunityId: opportunity.id,
      storefrontId: opportunity.storefrontId,
      kind: input.kind,
      title: input.title?.trim() || TITLES[input.kind],
      assigneeStaffId: input.assigneeStaffId ?? null,
      dueAt: input.dueAt ?? null,
      status: 'OPEN',
      progress: input.progress ?? 0,
      notes: input.notes?.trim() || null,
      createdBy: `${principal.kind}:${principal.id}`,
      createdAt: now,
      updatedAt: now,
    });
    await tx.flush();
    await touchActivity(tx, opportunity, now);
    return ok(task);
  });
}

/**
 * The task, if the caller may change it (`write`: a writer of its opportunity, or its assignee in the
 * same brand) or decide it (`read`: a reader). NOT_FOUND when they cannot read its opportunity;
 * FORBIDDEN when they read it only (a read share).
 */
async function writableTask(tx: EntityManager, principal: Principal, id: string, mode: 'write' | 'read') {
  const storefrontId = actingStorefront(principal);
  const task = isUuid(id) && storefrontId ? await tx.findOne(OpportunityTask, { id, storefrontId }, { refresh: true }) : null;
  if (!task) return fail('NOT_FOUND', 'No such task', f('id'));
  const opportunity = await workOpportunity(tx, principal, task.opportunityId, mode);
  if (opportunity) return ok<Found>({ task, opportunity });
  if (principal.kind === 'staff' && principal.id && task.assigneeStaffId === principal.id) {
    const row = await tx.findOne(Opportunity, { id: task.opportunityId, storefrontId });
    if (row) return ok<Found>({ task, opportunity: row });
  }
  if (mode === 'write' && (await workOpportunity(tx, principal, task.opportunityId, 'read')))
    return fail('FORBIDDEN', 'You may read this task but not change it', f('id'));
  return fail('NOT_FOUND', 'No such task', f('id'));
}
type Found = { task: IOpportunityTask; opportunity: IOpportunity };

async function commit(tx: EntityManager): Promise<Result<true>> {
  try {
    await tx.flush();
    return ok(true);
  } catch (error) {
    if (error instanceof OptimisticLockError) return fail('CONFLICT', 'The task changed meanwhile; reload it', f('version'));
    throw error;
  }
}

/** Changes a task at the version read (CONFLICT otherwise). Approvals are DONE only by a decision (`taskDecide`). */
export async function taskUpdate(
  em: EntityManager,
  deps: TaskDeps,
  principal: Principal,
  input: TaskUpdateInput,
): Promise<Result<IOpportunityTask>> {
  const { clock } = deps;
  const checks = new Checks<ErrorCode>();
  checkFields(input, checks);
  if (!checks.ok) return { ok: false, errors: checks.errors };
  if (input.assigneeStaffId) {
    const found = await writableTask(em.fork() as EntityManager, principal, input.id, 'write');
    if (found.ok && found.value.task.assigneeStaffId !== input.assigneeStaffId) {
      const refused = await assigneeErrors(deps, found.value.opportunity, input.assigneeStaffId);
      if (refused.length) return { ok: false, errors: refused };
    }
  }
  return em.transactional(async (tx) => {
    const found = await writableTask(tx, principal, input.id, 'write');
    if (!found.ok) return found;
    const { task, opportunity } = found.value;
    if (task.version !== input.version) return fail('CONFLICT', `The task changed since version ${input.version}; reload it`, f('version'));
    if (input.status === 'DONE' && isApproval(task.kind) && !task.decision)
      return fail('DECISION_REQUIRED', 'An approval is done when it is decided (taskDecide)', f('status'));
    const reopens = input.status === 'OPEN' || input.status === 'IN_PROGRESS';
    if (task.decision || ((task.status === 'DONE' || task.status === 'CANCELLED') && !reopens))
      return fail('CLOSED', `The task is ${task.decision ?? task.status}`, f('id'));
    const now = clock.now();
    if (input.title != null) task.title = input.title.trim();
    if (input.assigneeStaffId !== undefined) task.assigneeStaffId = input.assigneeStaffId ?? null;
    if (input.dueAt !== undefined) task.dueAt = input.dueAt ?? null;
    if (input.notes !== undefined) task.notes = input.notes?.trim() || null;
    if (input.progress != null) task.progress = input.progress;
    if (input.status != null) task.status = input.status;
    if (task.status === 'DONE') task.progress = 100;
    task.updatedAt = now;
    const done = await commit(tx);
    if (!done.ok) return done;
    await touchActivity(tx, opportunity, now);
    return ok(task);
  });
}

/**
 * Decides an approval task: MANAGER_APPROVAL by a holder of `opportunity:approve`, BUDGET_APPROVAL of
 * `finance:approve`, who may read the opportunity. A rejection says why (comment). Decided once.
 */
export async function taskDecide(
  em: EntityManager,
  clock: Clock,
  principal: Principal,
  input: TaskDecideInput,
): Promise<Result<IOpportunityTask>> {
  const checks = new Checks<ErrorCode>();
  checks.text(input.comment, f('comment'), 2000, false);
  if (input.decision === 'REJECTED' && !input.comment?.trim()) checks.add('REQUIRED', 'Say why it is rejected', f('comment'));
  if (!checks.ok) return { ok: false, errors: checks.errors };
  return em.transactional(async (tx) => {
    const found = await writableTask(tx, principal, input.id, 'read');
    if (!found.ok) return found;
    const { task, opportunity } = found.value;
    const scope = APPROVAL_SCOPES[task.kind];
    if (!scope) return fail('NOT_AN_APPROVAL', `A ${task.kind} task takes no decision`, f('id'));
    if (!hasScope(principal, scope)) return fail('FORBIDDEN', `Deciding a ${task.kind} needs ${scope}`, f('id'));
    if (task.version !== input.version) return fail('CONFLICT', `The task changed since version ${input.version}; reload it`, f('version'));
    if (task.decision || task.status === 'CANCELLED')
      return fail('CLOSED', `The approval is already ${task.decision ?? task.status}`, f('id'));
    const now = clock.now();
    Object.assign(task, {
      decision: input.decision,
      decisionComment: input.comment?.trim() || null,
      decidedBy: principal.id,
      decidedAt: now,
      status: 'DONE',
      progress: 100,
      updatedAt: now,
    });
    const done = await commit(tx);
    if (!done.ok) return done;
    await touchActivity(tx, opportunity, now);
    return ok(task);
  });
}
