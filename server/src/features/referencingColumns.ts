// A fix that changes a column's type must change the columns whose foreign keys reference it:
// CockroachDB refuses a foreign key between columns of different types (42804 type of "user_id"
// (INT8) does not match foreign key "users"."id" (UUID)), so after "Make id a UUID" the
// migrations that reference users(id) with an INT8 column would no longer run. This finds those
// columns wherever they are defined in the workspace (CREATE TABLE, ALTER TABLE … ADD COLUMN),
// following references of references, and gives each the new type.
//
// The workspace's schema model answers which columns reference which (SchemaModel.referencesTo),
// as the statements leave it: a table renamed after the retyped column was defined (ALTER TABLE
// users RENAME TO accounts) is asked for under its name at the end, and, for foreign keys
// declared before the rename that still name it the old way, under its earlier names too. A table
// dropped or replaced later is asked as it was just before.
import type { Edit } from '../lint/rule';
import type { SourceFile } from '../lint/engine';
import { SchemaModel, type TableInfo } from '../schema/model';
import type * as ast from '../../../sql/src/ast';

/** Edits in document offsets, per document URI. */
export type EditsByUri = Map<string, Edit[]>;

/** A column a fix retypes, by its definition in the fixed document, and the type written. */
interface Retyped {
  column: ast.Column;
  type: string;
  /** The statement that defines the column. */
  statement: ast.Statement;
}

/** A column of the finished schema, and the type it gets. */
interface Target {
  table: TableInfo;
  column: string;
  type: string;
}

/** The columns that `edits` retype: an edit that replaces exactly a column definition's type. */
function retypedColumns(file: SourceFile, edits: readonly Edit[]): Retyped[] {
  const retyped: Retyped[] = [];
  for (const { parsed, offset } of file.statements) {
    const statement = parsed.statement;
    const columns =
      statement.type === 'create-table'
        ? statement.columns
        : statement.type === 'alter-table'
          ? statement.commands.flatMap((c) => (c.kind === 'add-column' ? [c.column] : []))
          : [];
    for (const column of columns) {
      const type = column.type;
      if (!type) continue;
      const edit = edits.find((e) => e.start === offset + type.start && e.end === offset + type.end);
      if (edit) retyped.push({ column, type: edit.newText.trim(), statement });
    }
  }
  return retyped;
}

/** A statement's place in the workspace: its file's index and its index in the file. */
interface Place {
  file: number;
  statement: number;
}

/**
 * The workspace's schema after its statements, up to (not including) `stop` when given, and the
 * names each table had before its renames (`database.table` of its current name → earlier bare
 * names), for foreign keys that name it the old way. `alive` is asked after each statement; the
 * first statement after which it answers false is returned as `ended`.
 */
function schemaUpTo(
  files: readonly SourceFile[],
  stop?: Place,
  alive?: (model: SchemaModel, statement: ast.Statement) => boolean,
): { model: SchemaModel; formerNames: Map<string, string[]>; ended?: Place } {
  const model = new SchemaModel();
  const formerNames = new Map<string, string[]>();
  for (const [f, file] of files.entries()) {
    for (const [i, { parsed, offset }] of file.statements.entries()) {
      if (stop && f === stop.file && i === stop.statement) return { model, formerNames };
      const statement = parsed.statement;
      if (statement.type === 'alter-table') {
        const database = model.databaseOf(statement.name);
        for (const command of statement.commands) {
          if (command.kind !== 'rename-table') continue;
          const from = `${database}.${statement.name.name.value}`;
          const to = `${model.databaseOf(command.to)}.${command.to.name.value}`;
          formerNames.set(to, [...(formerNames.get(from) ?? []), statement.name.name.value]);
          formerNames.delete(from);
        }
      }
      model.apply(parsed, file.uri, offset);
      if (alive && !alive(model, statement)) return { model, formerNames, ended: { file: f, statement: i } };
    }
  }
  return { model, formerNames };
}

/** Where a retyped definition ended up: its table and its column's name as the schema finishes. */
function locate(model: SchemaModel, column: ast.Column): { table: TableInfo; column: string } | undefined {
  for (const table of model.tables.values())
    for (const info of table.columns.values()) if (info.definition === column) return { table, column: info.name };
  return undefined;
}

/**
 * The edits that carry `edits` (a fix's, in `uri`'s offsets) to the columns that reference a
 * column whose type they change. `files` are the workspace's SQL files in order, `uri`'s among
 * them. Empty when the fix changes no referenced column's type.
 */
export function carryTypeChanges(files: readonly SourceFile[], uri: string, edits: readonly Edit[]): EditsByUri {
  const carried: EditsByUri = new Map();
  const file = files.find((f) => f.uri === uri);
  if (edits.length === 0 || !file) return carried;
  const retyped = retypedColumns(file, edits);
  if (retyped.length === 0) return carried;
  // The references of a retyped column are those of its table as long as it lives: a table dropped
  // or replaced later (DROP TABLE, a CREATE TABLE of the same name) is asked just before that, so
  // that foreign keys to its successor are left alone.
  // Each retyped column's table, by its current `database`/`name`, once its definition was applied.
  const homes = new Map<ast.Column, { database: string; name: string }>();
  const holdsAll = (model: SchemaModel, statement: ast.Statement): boolean => {
    for (const { column, statement: defining } of retyped) {
      let home = homes.get(column);
      if (!home) {
        // Only the statement that defines it can put it in the schema.
        if (statement !== defining) continue;
        const found = locate(model, column);
        if (found) homes.set(column, { database: found.table.database, name: found.table.name });
        continue;
      }
      // Follow a rename of the table, then check the definition is still one of its columns.
      if (statement.type === 'alter-table' && statement.name.name.value === home.name && model.databaseOf(statement.name) === home.database)
        for (const command of statement.commands)
          if (command.kind === 'rename-table') home = { database: model.databaseOf(command.to), name: command.to.name.value };
      homes.set(column, home);
      const table = model.tableByName(home.database, home.name);
      if (!table || ![...table.columns.values()].some((info) => info.definition === column)) return false;
    }
    return true;
  };
  let schema = schemaUpTo(files, undefined, holdsAll);
  if (schema.ended) schema = schemaUpTo(files, schema.ended);
  const { model, formerNames } = schema;

  const keyOf = (table: TableInfo, column: string): string => `${table.database}.${table.name}.${column}`;
  const queue: Target[] = [];
  for (const { column, type } of retyped) {
    const found = locate(model, column);
    if (found) queue.push({ ...found, type });
  }
  const seen = new Set(queue.map((t) => keyOf(t.table, t.column)));
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { table, column, type } = next;
    // Earlier names only while no other table has taken them: a foreign key naming one then means this table.
    const names = [
      table.name,
      ...(formerNames.get(`${table.database}.${table.name}`) ?? []).filter((n) => !model.tableByName(table.database, n)),
    ];
    for (const name of names) {
      for (const reference of model.referencesTo(table.database, name, column)) {
        const key = keyOf(reference.table, reference.column);
        if (seen.has(key)) continue;
        seen.add(key);
        queue.push({ table: reference.table, column: reference.column, type });
        const current = reference.definition?.type;
        const at = reference.definedAt;
        if (!current || !at || current.name === type.toLowerCase()) continue;
        let list = carried.get(at.uri);
        if (!list) carried.set(at.uri, (list = []));
        list.push({ start: at.offset + current.start, end: at.offset + current.end, newText: type });
      }
    }
  }
  return carried;
}

/** Whether any edit replaces exactly a column's type in these statements (then it may need carrying). */
export function retypesAColumn(file: SourceFile, edits: readonly Edit[]): boolean {
  return retypedColumns(file, edits).length > 0;
}
