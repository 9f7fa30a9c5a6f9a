// A fix that changes a column's type must change the columns whose foreign keys reference it:
// CockroachDB refuses a foreign key between columns of different types (42804 type of "user_id"
// (INT8) does not match foreign key "users"."id" (UUID)), so after "Make id a UUID" the
// migrations that reference users(id) with an INT8 column would no longer run. This finds those
// columns wherever they are defined in the workspace (CREATE TABLE, ALTER TABLE … ADD COLUMN),
// following references of references, and gives each the new type.
import type { Edit } from '../lint/rule';
import type { SourceFile } from '../lint/engine';
import { SchemaModel } from '../schema/model';
import type * as ast from '../../../sql/src/ast';

/** Edits in document offsets, per document URI. */
export type EditsByUri = Map<string, Edit[]>;

interface Definition {
  uri: string;
  offset: number;
  column: ast.Column;
}

interface Reference {
  /** `database.table` of the referencing and the referenced table. */
  from: string;
  to: string;
  columns: string[];
  referenced: string[];
}

/** A column a fix retypes: `database.table.column`, and the type written. */
interface Retyped {
  key: string;
  type: string;
}

function tableKey(model: SchemaModel, name: ast.QualifiedName): string {
  return `${model.databaseOf(name)}.${name.name.value}`;
}

/** The columns a foreign key references: as written, else the referenced table's primary key. */
function referencedColumns(
  foreignKey: ast.ForeignKey,
  model: SchemaModel,
  self: { key: string; primaryKey: string[] } | undefined,
): string[] {
  if (foreignKey.referencedColumns.length > 0) return foreignKey.referencedColumns.map((c) => c.value);
  const key = tableKey(model, foreignKey.table);
  if (self && key === self.key) return self.primaryKey;
  return model.table(foreignKey.table)?.primaryKey ?? [];
}

/**
 * The edits that carry `edits` (a fix's, in `uri`'s offsets) to the columns that reference a
 * column whose type they change. `files` are the workspace's SQL files in order, `uri`'s among
 * them. Empty when the fix changes no referenced column's type.
 */
export function carryTypeChanges(files: readonly SourceFile[], uri: string, edits: readonly Edit[]): EditsByUri {
  const carried: EditsByUri = new Map();
  if (edits.length === 0) return carried;
  const definitions = new Map<string, Definition[]>();
  const references: Reference[] = [];
  const retyped: Retyped[] = [];
  const model = new SchemaModel();

  const define = (table: string, column: ast.Column, file: SourceFile, offset: number): void => {
    const key = `${table}.${column.name.value}`;
    let list = definitions.get(key);
    if (!list) definitions.set(key, (list = []));
    list.push({ uri: file.uri, offset, column });
    if (file.uri !== uri || !column.type) return;
    const start = offset + column.type.start;
    const end = offset + column.type.end;
    const edit = edits.find((e) => e.start === start && e.end === end);
    if (edit) retyped.push({ key, type: edit.newText.trim() });
  };
  const refer = (from: string, foreignKey: ast.ForeignKey | undefined, self?: { key: string; primaryKey: string[] }): void => {
    if (!foreignKey) return;
    references.push({
      from,
      to: tableKey(model, foreignKey.table),
      columns: foreignKey.columns.map((c) => c.value),
      referenced: referencedColumns(foreignKey, model, self),
    });
  };

  for (const file of files) {
    for (const { parsed, offset } of file.statements) {
      const statement = parsed.statement;
      if (statement.type === 'create-table' && statement.name.name.value) {
        const key = tableKey(model, statement.name);
        const primaryKey = statement.primaryKey?.columns.flatMap((c) => (c.name ? [c.name.value] : [])) ?? [];
        for (const column of statement.columns) define(key, column, file, offset);
        for (const foreignKey of statement.foreignKeys) refer(key, foreignKey, { key, primaryKey });
      } else if (statement.type === 'alter-table') {
        const key = tableKey(model, statement.name);
        for (const command of statement.commands) {
          if (command.kind === 'add-column') define(key, command.column, file, offset);
          else if (command.kind === 'add-constraint') refer(key, command.foreignKey);
        }
      }
      model.apply(parsed, file.uri, offset);
    }
  }

  // Follow the references from the retyped columns, and references of references.
  const seen = new Set(retyped.map((r) => r.key));
  const queue = [...retyped];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { key, type } = next;
    for (const reference of references) {
      reference.referenced.forEach((referenced, i) => {
        const column = reference.columns[i];
        if (column === undefined || `${reference.to}.${referenced}` !== key) return;
        const referencing = `${reference.from}.${column}`;
        if (seen.has(referencing)) return;
        seen.add(referencing);
        queue.push({ key: referencing, type });
        for (const definition of definitions.get(referencing) ?? []) {
          const current = definition.column.type;
          if (!current || current.name === type.toLowerCase()) continue;
          let list = carried.get(definition.uri);
          if (!list) carried.set(definition.uri, (list = []));
          list.push({ start: definition.offset + current.start, end: definition.offset + current.end, newText: type });
        }
      });
    }
  }
  return carried;
}

/** Whether any edit replaces exactly a column's type in these statements (then it may need carrying). */
export function retypesAColumn(file: SourceFile, edits: readonly Edit[]): boolean {
  for (const edit of edits) {
    const statement = file.statements.find((s) => s.offset + s.parsed.start <= edit.start && edit.end <= s.offset + s.parsed.end);
    if (!statement) continue;
    const s = statement.parsed.statement;
    const columns =
      s.type === 'create-table'
        ? s.columns
        : s.type === 'alter-table'
          ? s.commands.flatMap((c) => (c.kind === 'add-column' ? [c.column] : []))
          : [];
    if (columns.some((c) => c.type && statement.offset + c.type.start === edit.start && statement.offset + c.type.end === edit.end))
      return true;
  }
  return false;
}
