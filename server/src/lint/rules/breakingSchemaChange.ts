// Points at renames and drops that break application code still running against the old
// schema: RENAME TO (a table), RENAME COLUMN, DROP COLUMN, DROP TABLE. CockroachDB applies them online,
// while the application keeps running — and in a rolling deploy the previous version of the
// application runs beside the new one, so its queries naming the old table or column fail until
// it is gone. Info, not a warning: the change is right when no running code uses the name.
// Tables this document created, under any name since, are not flagged (nothing runs against them
// yet), nor names a migration uses as scaffolding (_x, x_tmp, x_old, x_deleteme…), nor the rename
// that gives a replacement its final name (x_json to x: the original x was dropped before, and
// that is flagged). DROP TABLE is judged like DROP COLUMN (an info: dropping is right once no
// running code uses the table), except in a script that creates the table again further down (a
// reset script, not a migration), and DROP TABLE IF EXISTS of a table the schema never showed.
//
//   ALTER TABLE users RENAME COLUMN name TO full_name;  -- info
import type * as ast from '../../../../sql/src/ast';
import { createdInDocument } from '../facts';
import { DOCS, type Rule, type RuleContext } from '../rule';

/**
 * Names a migration gives its own scaffolding (a column renamed out of the way while a new one
 * takes its name, a table built beside the old one): no application code names them, and a
 * rename to one is the first step of a swap that gives the old name back.
 */
function scaffolding(name: string): boolean {
  return name.startsWith('_') || /_(tmp|temp|old|deleteme|bak|backup)$/.test(name);
}

/**
 * A rename that gives a replacement its final name (x_json to x, t_uuid to t): it succeeds only
 * once the original x is gone, so no running code names the replacement; the breaking step was
 * the drop or rename of the original, which is flagged where it happens.
 */
function completesSwap(from: string, to: string): boolean {
  return from.startsWith(`${to}_`);
}

const EXPAND_CONTRACT =
  'add the new name beside the old one, write both, backfill, move the reads, and remove the old name in a later release';

/** Whether a statement after this one creates a table of that name again (a script that rebuilds the schema). */
function recreatedLater(context: RuleContext, name: string): boolean {
  for (let i = context.index + 1; i < context.statements.length; i++) {
    const later = context.statements[i]?.parsed.statement;
    if (later?.type === 'create-table' && later.name.name.value === name) return true;
  }
  return false;
}

function checkDropTable(context: RuleContext, drop: ast.Drop): void {
  for (const target of drop.names) {
    const name = target.name.name.value;
    const table = context.model.table(target.name);
    if (createdInDocument(context.model, table, context.uri)) continue;
    if (scaffolding(name) || recreatedLater(context, name)) continue;
    // IF EXISTS of a table nothing showed: a guard of a script, not a table known to be in use.
    if (drop.ifExists && !table) continue;
    const cascade =
      drop.behavior === 'cascade' ? ' CASCADE also drops the views that depend on it and the foreign keys that reference it.' : '';
    context.report(
      target,
      `Dropping table ${name} breaks application code still running that names it (the previous version, during a rolling deploy), and its rows are gone: ` +
        `stop using it in one release and drop it in a later one.${cascade}`,
    );
  }
}

export const breakingSchemaChange: Rule = {
  id: 'breaking-schema-change',
  defaultSeverity: 'info',
  title: 'Rename or drop that breaks application code still using the old name',
  description:
    'Schema changes on CockroachDB are online: the table stays in use while they run, and in a rolling deploy the previous version of the application keeps ' +
    "running beside the new one. Renaming a table or column, or dropping a column or a table, makes every query of the old version that names it fail (and a dropped table's rows are gone). " +
    'Expand and contract instead: add the new name beside the old, write both, backfill, move the reads, and remove the old name once no running code uses it. ' +
    'Before dropping a column, `ALTER TABLE … ALTER COLUMN … SET NOT VISIBLE` hides it from `SELECT *` while it can still be restored. ' +
    '(In the interactive `cockroach sql` shell, `sql_safe_updates` also rejects DROP COLUMN until it is turned off.)',
  docs: `${DOCS}online-schema-changes`,
  statements: ['alter-table', 'other'],
  check(context) {
    const statement = context.statement;
    if (statement.type === 'other' && statement.kind === 'drop' && statement.drop?.object === 'table') {
      checkDropTable(context, statement.drop);
      return;
    }
    if (statement.type !== 'alter-table') return;
    const table = statement.name.name.value;
    const breaking = statement.commands.filter((c) => c.kind === 'rename-table' || c.kind === 'rename-column' || c.kind === 'drop-column');
    if (breaking.length === 0) return;
    const info = context.model.table(statement.name);
    if (createdInDocument(context.model, info, context.uri)) return;
    for (const command of breaking) {
      if (command.kind === 'rename-table') {
        const to = command.to.name.value;
        if (scaffolding(table) || scaffolding(to) || completesSwap(table, to)) continue;
      }
      if (command.kind === 'rename-column') {
        const [from, to] = [command.column.value, command.to.value];
        if (scaffolding(from) || scaffolding(to) || completesSwap(from, to)) continue;
      }
      if (command.kind === 'drop-column' && scaffolding(command.column.value)) continue;
      // IF EXISTS of a column the known table never had: a guard that does nothing here, as for DROP TABLE.
      if (command.kind === 'drop-column' && command.ifExists && info && !info.columns.has(command.column.value)) continue;
      switch (command.kind) {
        case 'rename-table':
          context.report(
            command,
            `Renaming ${table} to ${command.to.name.value} breaks application code still running that names ${table} (the previous version, during a rolling deploy): ${EXPAND_CONTRACT}.`,
          );
          break;
        case 'rename-column':
          context.report(
            command,
            `Renaming ${table}.${command.column.value} to ${command.to.value} breaks application code still running that names ${command.column.value} (the previous version, during a rolling deploy): ${EXPAND_CONTRACT}.`,
          );
          break;
        case 'drop-column':
          context.report(
            command,
            `Dropping ${table}.${command.column.value} breaks application code still running that names it (the previous version, during a rolling deploy): stop using it in a release first; SET NOT VISIBLE hides it from SELECT * meanwhile.`,
          );
          break;
        default:
          break;
      }
    }
  },
};
