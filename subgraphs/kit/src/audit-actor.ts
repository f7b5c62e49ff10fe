import { AsyncLocalStorage } from 'node:async_hooks';
import { requestPrincipal } from './request-principal.js';

/** Who made a change: a principal, or a job / the system acting on its own. */
export type AuditActor = { kind: string; id: string | null };

// Apart from the audit entity (audit-record.ts) so the bus, which the router uses too, does not load MikroORM.
const actors = new AsyncLocalStorage<AuditActor>();

/**
 * Runs `fn` with writes attributed to `actor` rather than to the request's principal: jobs
 * (`{ kind: 'job', id: 'cart:abandonment' }`), seeds and other system work.
 */
export function auditAs<T>(actor: AuditActor, fn: () => T): T {
  return actors.run(actor, fn);
}

/** The actor of writes made now: an explicit `auditAs`, else the request's principal, else the system. */
export function currentActor(): AuditActor {
  const explicit = actors.getStore();
  if (explicit) return explicit;
  const principal = requestPrincipal.current();
  if (principal) return { kind: principal.kind, id: principal.id };
  return { kind: 'system', id: null };
}
