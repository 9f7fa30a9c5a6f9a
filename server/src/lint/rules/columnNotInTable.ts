// Flags a column a statement names that its table does not have, where the schema shows every
// column of the table: CockroachDB fails the statement with `column "x" does not exist` (42703).
// Checked: ALTER TABLE … DROP COLUMN (without IF EXISTS), RENAME COLUMN and ALTER COLUMN; the key
// and STORING columns of CREATE INDEX, of ADD CONSTRAINT … UNIQUE / PRIMARY KEY and of ALTER
// PRIMARY KEY; a CREATE TABLE's own key, index and foreign key columns (and those it references
// in itself). The columns added, dropped and renamed earlier in the same ALTER TABLE count.
//
// Only tables whose every column the model knows are judged: not one made AS a query or LIKE
// another, nor one an unreadable ALTER TABLE changed, nor one a CREATE TABLE IF NOT EXISTS found
// already defined (a schema dump read before the migrations that built it). Hidden columns
// CockroachDB adds itself (rowid, crdb_region, crdb_internal_…) are never reported.
//
//   CREATE TABLE users (id UUID PRIMARY KEY, email STRING);
//   CREATE INDEX ON users (emial);               -- error: did you mean email?
//   ALTER TABLE users DROP COLUMN nickname;      -- error
import type * as ast from '../../../../sql/src/ast';
import type { TableInfo } from '../../schema/model';
import { DOCS, type Fix, type Rule, type RuleContext } from '../rule';

/** Columns CockroachDB adds itself, which a schema names without declaring. */
function hidden(name: string): boolean {
  return name === 'rowid' || name.startsWith('crdb_');
}

/** A table's columns as a check reads them: a model table's map, a set, or a CREATE TABLE's list. */
interface Columns {
  has(name: string): boolean;
  keys(): Iterable<string>;
}

/** A CREATE TABLE's own columns, read from its list (a short lint runs cold: no set is built for a check that passes). */
function listed(columns: readonly ast.Column[]): Columns {
  return {
    has(name) {
      for (let i = 0; i < columns.length; i++) if (columns[i]?.name.value === name) return true;
      return false;
    },
    keys: () => columns.map((c) => c.name.value),
  };
}

/** Levenshtein distance, stopping early once it exceeds `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/** The one column close enough to be what was meant, if exactly one is. */
function closest(name: string, columns: Columns): string | undefined {
  const limit = name.length <= 4 ? 1 : 2;
  const near = [...columns.keys()].filter((c) => !hidden(c) && distance(name, c, limit) <= limit);
  return near.length === 1 ? near[0] : undefined;
}

/** Reports `name` unless `columns` has it (or it is hidden). */
function check(context: RuleContext, table: string, columns: Columns, name: ast.Name): void {
  const column = name.value;
  if (columns.has(column) || hidden(column)) return;
  const meant = closest(column, columns);
  const fixes: Fix[] = meant
    ? [{ title: `Change to ${meant}`, edits: [{ start: name.start, end: name.end, newText: meant }], preferred: true }]
    : [];
  context.report(
    name,
    `Table ${table} has no column ${column}: CockroachDB fails this statement (column "${column}" does not exist).` +
      (meant ? ` Did you mean ${meant}?` : ''),
    fixes,
  );
}

function checkIndex(context: RuleContext, table: string, columns: Columns, index: ast.IndexDef): void {
  const elements = index.columns;
  for (let i = 0; i < elements.length; i++) {
    const name = elements[i]?.name;
    if (name) check(context, table, columns, name);
  }
  const storing = index.storing;
  for (let i = 0; i < storing.length; i++) check(context, table, columns, storing[i] as ast.Name);
}

/**
 * The foreign key's own columns, and the columns it references when it references its own table.
 * Another table's columns are not read: a statement whose check reads another table is checked
 * again whenever that table changes, and a chain of foreign keys would then make an edit of the
 * first table check every later one (see relintSparsely).
 */
function checkForeignKey(context: RuleContext, table: string, columns: Columns, foreignKey: ast.ForeignKey): void {
  for (const name of foreignKey.columns) check(context, table, columns, name);
  const target = foreignKey.table;
  if (target.parts.length === 1 && target.name.value === table)
    for (const name of foreignKey.referencedColumns) check(context, table, columns, name);
}

function checkCreateTable(context: RuleContext, statement: ast.CreateTable): void {
  if (statement.asSelect || statement.like || context.parsed.errors.length > 0) return;
  const name = statement.name.name.value;
  const columns = listed(statement.columns);
  // In the order they are written, as findings are listed: the key, the indexes and the foreign
  // keys are each in order, and merged here by position.
  const { indexes, foreignKeys } = statement;
  let key = statement.primaryKey;
  let i = 0;
  let f = 0;
  for (;;) {
    const index = indexes[i];
    const foreignKey = foreignKeys[f];
    const keyAt = key?.start ?? Infinity;
    const indexAt = index?.start ?? Infinity;
    if (key && keyAt <= indexAt && keyAt <= (foreignKey?.start ?? Infinity)) {
      checkIndex(context, name, columns, key);
      key = undefined;
    } else if (index && indexAt <= (foreignKey?.start ?? Infinity)) {
      checkIndex(context, name, columns, index);
      i++;
    } else if (foreignKey) {
      checkForeignKey(context, name, columns, foreignKey);
      f++;
    } else return;
  }
}

function knownTable(context: RuleContext, name: ast.QualifiedName): TableInfo | undefined {
  const table = context.model.table(name);
  return table?.columnsKnown ? table : undefined;
}

function checkAlterTable(context: RuleContext, statement: ast.AlterTable): void {
  if (context.parsed.errors.length > 0) return;
  const table = knownTable(context, statement.name);
  if (!table) return;
  // The columns as each command finds them: earlier commands of the statement count (a copy
  // only when a command adds, drops or renames one).
  let columns: Columns = table.columns;
  const changing = (): Set<string> => {
    if (!(columns instanceof Set)) columns = new Set(table.columns.keys());
    return columns as Set<string>;
  };
  for (const command of statement.commands) {
    switch (command.kind) {
      case 'add-column':
        changing().add(command.column.name.value);
        break;
      case 'drop-column':
        if (!command.ifExists) check(context, table.name, columns, command.column);
        changing().delete(command.column.value);
        break;
      case 'rename-column':
        check(context, table.name, columns, command.column);
        changing().delete(command.column.value);
        changing().add(command.to.value);
        break;
      case 'alter-column':
        check(context, table.name, columns, command.column);
        break;
      case 'add-constraint':
        if (command.index) checkIndex(context, table.name, columns, command.index);
        if (command.foreignKey) checkForeignKey(context, table.name, columns, command.foreignKey);
        break;
      case 'alter-primary-key':
        checkIndex(context, table.name, columns, command.index);
        break;
      default:
        break;
    }
  }
}

export const columnNotInTable: Rule = {
  id: 'column-not-in-table',
  defaultSeverity: 'error',
  title: 'Column the table does not have',
  description:
    'A statement that names a column its table does not have fails on CockroachDB with `column "x" does not exist` (SQLSTATE 42703): ' +
    'a DROP, RENAME or ALTER COLUMN of a column that was never added or was already dropped or renamed, an index, key or foreign key over a misspelt column. ' +
    'Judged only where the schema shows every column of the table (not a table made AS a query or LIKE another, nor one defined again by CREATE TABLE IF NOT EXISTS); ' +
    'the columns CockroachDB adds itself (rowid, crdb_region) are not reported. `DROP COLUMN IF EXISTS` is the form that tolerates a column that may be gone.',
  docs: `${DOCS}alter-table`,
  statements: ['create-table', 'create-index', 'alter-table'],
  check(context) {
    const statement = context.statement;
    if (statement.type === 'create-table') checkCreateTable(context, statement);
    else if (statement.type === 'alter-table') checkAlterTable(context, statement);
    else if (statement.type === 'create-index' && context.parsed.errors.length === 0) {
      const table = knownTable(context, statement.table);
      if (table) checkIndex(context, table.name, table.columns, statement.index);
    }
  },
};
