/**
 * A foreign key checked once per statement instead of once per row, for a child table filled in large
 * batches (a campaign chunk writes 5,000 offers and 5,000 inbox messages per statement). PostgreSQL's own
 * check runs a `select … for key share` on the parent for every inserted row; locking a parent row writes
 * it (its xmax, and a WAL record), which cost a launch 4–15 µs of PostgreSQL CPU per row.
 *
 * The same guarantee, kept by triggers (`<name>_*`; the parent is referenced by its `id`):
 * - child rows inserted: after the statement, one anti-join of its new rows against the parent raises
 *   `foreign_key_violation` (23503, naming `name`) if any references a missing parent. Under READ COMMITTED
 *   the check sees every committed parent delete; outside it, the distinct parents are first locked
 *   `for key share` as a foreign key does (a parent deleted since the snapshot is a serialization failure).
 * - a child's column changed: the same check for that row, its parent locked `for key share`.
 * - parent rows deleted (or an id changed): `share` lock on the child table first, so every insert still in
 *   flight commits or aborts before the check, which then sees it; only under READ COMMITTED (no application
 *   path deletes these parents; another isolation level is refused rather than checked on a stale snapshot).
 * - the parent truncated while child rows exist: refused (truncate both with `truncate child, parent` is
 *   refused too; delete the child rows first).
 * Both tables must be in `schema`; the child's column should be indexed (the parent-side check reads it).
 */
export type StatementForeignKey = { schema: string; name: string; child: string; column: string; parent: string };

/** The SQL that replaces the child's declared foreign key `name` (dropped, if there) with the functions and triggers that keep it. */
export function statementForeignKeySql(fk: StatementForeignKey): string[] {
  const s = `"${fk.schema}"`;
  const child = `${s}."${fk.child}"`;
  const parent = `${s}."${fk.parent}"`;
  const col = `"${fk.column}"`;
  const fn = (suffix: string) => `${s}."${fk.name}_${suffix}"`;
  const violation = (detail: string) =>
    `raise exception using errcode = 'foreign_key_violation', constraint = '${fk.name}', table = '${fk.child}',
       message = 'insert, update or delete violates foreign key constraint "${fk.name}"', detail = ${detail}`;
  const readCommitted = `current_setting('transaction_isolation') = 'read committed'`;
  return [
    `alter table ${child} drop constraint if exists "${fk.name}"`,
    `create or replace function ${fn('rows')}() returns trigger language plpgsql as $$
     begin
       if not ${readCommitted} then
         perform 1 from ${parent} p where p.id in (select n.${col} from new_rows n) order by p.id for key share;
       end if;
       if exists (select 1 from new_rows n where n.${col} is not null and not exists (select 1 from ${parent} p where p.id = n.${col})) then
         ${violation(`'a row of ${fk.child} references a missing ${fk.parent}'`)};
       end if;
       return null;
     end $$`,
    `create or replace function ${fn('row')}() returns trigger language plpgsql as $$
     begin
       if new.${col} is not null then
         perform 1 from ${parent} p where p.id = new.${col} for key share;
         if not found then ${violation(`'a row of ${fk.child} references a missing ${fk.parent}'`)}; end if;
       end if;
       return null;
     end $$`,
    // Deleted parents (`old_rows`, statement-level) or one re-keyed parent (row-level: ids do not change in practice).
    ...(['parent', 'parent_row'] as const).map(
      (kind) => `create or replace function ${fn(kind)}() returns trigger language plpgsql as $$
     begin
       if not ${readCommitted} then
         raise exception using errcode = 'feature_not_supported',
           message = 'rows of ${fk.parent} are deleted or re-keyed only under READ COMMITTED (foreign key ${fk.name})';
       end if;
       lock table ${child} in share mode;
       if exists (select 1 from ${kind === 'parent' ? 'old_rows o' : '(select old.id) o(id)'} where exists (select 1 from ${child} c where c.${col} = o.id)) then
         ${violation(`'a ${fk.parent} still referenced from ${fk.child} was deleted or re-keyed'`)};
       end if;
       return null;
     end $$`,
    ),
    `create or replace function ${fn('truncate')}() returns trigger language plpgsql as $$
     begin
       if exists (select 1 from ${child}) then ${violation(`'${fk.parent} truncated while ${fk.child} references it'`)}; end if;
       return null;
     end $$`,
    `create trigger "${fk.name}_insert" after insert on ${child} referencing new table as new_rows for each statement execute function ${fn('rows')}()`,
    `create trigger "${fk.name}_update" after update of ${col} on ${child} for each row when (old.${col} is distinct from new.${col}) execute function ${fn('row')}()`,
    `create trigger "${fk.name}_parent_delete" after delete on ${parent} referencing old table as old_rows for each statement execute function ${fn('parent')}()`,
    `create trigger "${fk.name}_parent_update" after update of "id" on ${parent} for each row when (old.id is distinct from new.id) execute function ${fn('parent_row')}()`,
    `create trigger "${fk.name}_parent_truncate" before truncate on ${parent} for each statement execute function ${fn('truncate')}()`,
  ];
}
