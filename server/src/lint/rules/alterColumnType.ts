// Flags ALTER TABLE … ALTER COLUMN … TYPE changes that rewrite the table, classified as
// CockroachDB's schemachange.ClassifyConversion does it:
// - metadata only: a wider INT, VARCHAR/CHAR/BIT length or DECIMAL precision/scale (DECIMAL(10,2)
//   to DECIMAL(12,2), STRING(10) to STRING(20)), any FLOAT change, TIMESTAMP <-> TIMESTAMPTZ, and a
//   time precision kept or raised (TIMESTAMP(3) to TIMESTAMP(6));
// - existing values checked, not rewritten: a narrower INT or length, a smaller DECIMAL precision
//   or scale, a limit where there was none (STRING to VARCHAR(20)), BYTES to STRING or UUID. From
//   v24.3 the declarative schema changer checks them in place; before, the legacy schema changer
//   rewrote the column for them too, so they are flagged only before v24.3;
// - rewritten ("general"): another family, a lower time precision (every value is rounded), any
//   USING expression. A new column is backfilled from every row and swapped in. It cannot run in an
//   explicit transaction, beside other ALTER TABLE commands, or on a column that is part of an
//   index; before v25.1 it is a preview that fails unless the session sets
//   enable_experimental_alter_column_type_general = true.
// When the column's modifiers are not known (it was defined in another file), a change within a
// family is not flagged.
//
//   ALTER TABLE accounts ALTER COLUMN balance TYPE DECIMAL;  -- warning (INT8 to DECIMAL)
import { columnTypeChange, typeChangeRewrites } from '../facts';
import { DOCS, type Rule } from '../rule';
import { ALTER_COLUMN_TYPE_VARIABLE, atLeast, formatVersion, SINCE } from '../version';

export const alterColumnType: Rule = {
  id: 'alter-column-type',
  defaultSeverity: 'warning',
  title: 'ALTER COLUMN … TYPE that rewrites the table',
  description:
    'Changing a column to a type of another family (INT to STRING, STRING to UUID…), lowering a time precision (`TIMESTAMP(6)` to `TIMESTAMP(3)`), or any change with a `USING` expression rewrites it: ' +
    'CockroachDB backfills a new column from every row in a schema change job and swaps it in, which takes time and space on a large table. Such a change cannot run in an explicit transaction, ' +
    'combined with other `ALTER TABLE` commands, or on a column that is part of an index. Before v25.1 it is a preview: the session must first ' +
    '`SET enable_experimental_alter_column_type_general = true`. Widening changes only metadata: a longer `VARCHAR`/`STRING(n)`, a larger `DECIMAL` precision or scale ' +
    '(`DECIMAL(10,2)` to `DECIMAL(12,2)`), `INT4` to `INT8`, a kept or higher time precision, `TIMESTAMP` to `TIMESTAMPTZ`. Narrowing (`INT8` to `INT4`, a shorter `VARCHAR`, ' +
    'a smaller `DECIMAL`, `STRING` to `VARCHAR(n)`) keeps the stored values but checks every row, and fails if one does not fit: from v24.3 in place, before v24.3 by the same rewrite.',
  docs: `${DOCS}alter-table#alter-column-data-types`,
  statements: ['alter-table'],
  check(context) {
    const statement = context.statement;
    if (statement.type !== 'alter-table') return;
    const text = context.statements[context.index]?.text ?? '';
    const version = context.cockroachVersion;
    const table = context.model.table(statement.name);
    for (const command of statement.commands) {
      if (command.kind !== 'alter-column' || command.action !== 'set-type' || !command.type) continue;
      const column = command.column.value;
      const change = columnTypeChange(
        context.model,
        context.statements,
        context.uri,
        statement.name,
        { ...command, type: command.type },
        text,
        version,
      );
      if (!typeChangeRewrites(change, version)) continue;
      const described = change.from ? `from ${change.from.written} to ${change.to.written}` : `to ${change.to.written} with USING`;
      const why =
        change.kind === 'validate'
          ? ` The stored values would only need checking, but before ${SINCE.alterColumnTypeValidateInPlace} CockroachDB's schema changer rewrites the column for it: it backfills a new column from every row and swaps it in, and the change cannot run inside an explicit transaction.`
          : `: CockroachDB backfills a new column from every row and swaps it in, and the change cannot run inside an explicit transaction.`;
      const failures: string[] = [];
      if (statement.commands.length > 1) failures.push('it is combined with other ALTER TABLE commands');
      const indexed = table && (table.primaryKey.includes(column) || table.indexes.some((index) => index.columns.includes(column)));
      if (indexed) failures.push(`${column} is part of an index`);
      const preview = !atLeast(version, SINCE.alterColumnTypeGeneral)
        ? ` On CockroachDB ${formatVersion(version)} this is a preview: it fails unless the session first runs SET ${ALTER_COLUMN_TYPE_VARIABLE} = true.`
        : '';
      const head =
        change.kind === 'validate'
          ? `Changing ${column} ${described} rewrites ${statement.name.name.value} on CockroachDB ${formatVersion(version)}.`
          : `Changing ${column} ${described} rewrites ${statement.name.name.value}`;
      context.report(command, head + why + (failures.length > 0 ? ` It fails here: ${failures.join(', and ')}.` : '') + preview);
    }
  },
};
