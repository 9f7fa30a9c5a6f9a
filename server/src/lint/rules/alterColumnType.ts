// Flags ALTER TABLE … ALTER COLUMN … TYPE changes that rewrite the table. A change within a type
// family (a wider VARCHAR, INT4 to INT8, TIMESTAMP to TIMESTAMPTZ) only changes metadata or
// validates the existing values; any other change, and any USING expression, is CockroachDB's
// "general" conversion: a new column is backfilled from every row and swapped in. It cannot run
// in an explicit transaction or beside other ALTER TABLE commands, nor on a column that is part
// of an index; before v25.1 it is a preview that fails unless the session sets
// enable_experimental_alter_column_type_general = true.
//
//   ALTER TABLE accounts ALTER COLUMN balance TYPE DECIMAL;  -- warning (INT8 to DECIMAL)
import type * as ast from '../../../../sql/src/ast';
import { typeChangeRewrites } from '../facts';
import { DOCS, type Rule } from '../rule';
import { ALTER_COLUMN_TYPE_VARIABLE, atLeast, formatVersion, SINCE } from '../version';

function typeName(type: ast.TypeRef): string {
  return `${type.name.toUpperCase()}${type.array ? '[]' : ''}`;
}

export const alterColumnType: Rule = {
  id: 'alter-column-type',
  defaultSeverity: 'warning',
  title: 'ALTER COLUMN … TYPE that rewrites the table',
  description:
    'Changing a column to a type of another family (INT to STRING, STRING to UUID…) or with a `USING` expression rewrites it: CockroachDB backfills a new column ' +
    'from every row in a schema change job and swaps it in, which takes time and space on a large table. Such a change cannot run in an explicit transaction, ' +
    'combined with other `ALTER TABLE` commands, or on a column that is part of an index. Before v25.1 it is a preview: the session must first ' +
    '`SET enable_experimental_alter_column_type_general = true`. Changes within a family (a wider `VARCHAR`, `INT4` to `INT8`, `TIMESTAMP` to `TIMESTAMPTZ`) only change metadata.',
  docs: `${DOCS}alter-table#alter-column-data-types`,
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'alter-table') return;
    const table = context.model.table(statement.name);
    for (const command of statement.commands) {
      if (command.kind !== 'alter-column' || command.action !== 'set-type' || !command.type) continue;
      const column = command.column.value;
      const before = table?.columns.get(column)?.definition.type;
      const rewrites = command.using !== undefined || (before !== undefined && typeChangeRewrites(before, command.type, false));
      if (!rewrites) continue;
      const change = before ? `from ${typeName(before)} to ${typeName(command.type)}` : `to ${typeName(command.type)} with USING`;
      const failures: string[] = [];
      if (statement.commands.length > 1) failures.push('it is combined with other ALTER TABLE commands');
      const indexed = table && (table.primaryKey.includes(column) || table.indexes.some((index) => index.columns.includes(column)));
      if (indexed) failures.push(`${column} is part of an index`);
      const version = context.cockroachVersion;
      const preview = !atLeast(version, SINCE.alterColumnTypeGeneral)
        ? ` On CockroachDB ${formatVersion(version)} this is a preview: it fails unless the session first runs SET ${ALTER_COLUMN_TYPE_VARIABLE} = true.`
        : '';
      context.report(
        command,
        `Changing ${column} ${change} rewrites ${statement.name.name.value}: CockroachDB backfills a new column from every row and swaps it in, and the change cannot run inside an explicit transaction.` +
          (failures.length > 0 ? ` It fails here: ${failures.join(', and ')}.` : '') +
          preview,
      );
    }
  },
};
