// Flags columns declared TIMESTAMP (without time zone). CockroachDB stores both TIMESTAMP and
// TIMESTAMPTZ as a UTC instant and recommends always using TIMESTAMPTZ: TIMESTAMP drops the
// offset of a value written with one and ignores the session's time zone, so the same instant
// written from clients in different zones reads back differently. The fix writes TIMESTAMPTZ,
// keeping any precision.
//
//   created_at TIMESTAMP NOT NULL DEFAULT now()  -- info, fix: TIMESTAMPTZ
import type * as ast from '../../../../sql/src/ast';
import { DOCS, type Edit, type Rule } from '../rule';

/** The columns and column types a statement declares. */
function declaredTypes(statement: ast.Statement): { column: ast.Name; type: ast.TypeRef }[] {
  const found: { column: ast.Name; type: ast.TypeRef }[] = [];
  const add = (column: ast.Name, type: ast.TypeRef | undefined) => {
    if (type?.name === 'timestamp') found.push({ column, type });
  };
  if (statement.type === 'create-table') for (const column of statement.columns) add(column.name, column.type);
  if (statement.type === 'alter-table')
    for (const command of statement.commands) {
      if (command.kind === 'add-column') add(command.column.name, command.column.type);
      if (command.kind === 'alter-column' && command.action === 'set-type') add(command.column, command.type);
    }
  return found;
}

/** Rewrites `TIMESTAMP[(p)] [WITHOUT TIME ZONE]` as `TIMESTAMPTZ[(p)]`, in the case it was written. */
function toTimestamptz(text: string, type: ast.TypeRef): Edit[] | undefined {
  const written = text.slice(type.start, type.end);
  if (written.slice(0, 9).toLowerCase() !== 'timestamp') return undefined; // a quoted or qualified name
  const upper = written.charCodeAt(0) < 97;
  const edits: Edit[] = [{ start: type.start, end: type.start + 9, newText: upper ? 'TIMESTAMPTZ' : 'timestamptz' }];
  const without = written.toLowerCase().indexOf('without');
  if (without > 0) {
    let from = type.start + without;
    while (from > type.start + 9 && /\s/.test(text[from - 1] ?? '')) from--;
    const zone = written.toLowerCase().indexOf('zone', without);
    if (zone > 0) edits.push({ start: from, end: type.start + zone + 4, newText: '' });
  }
  return edits;
}

export const timestampWithoutTimeZone: Rule = {
  id: 'timestamp-without-time-zone',
  defaultSeverity: 'info',
  title: 'TIMESTAMP without time zone instead of TIMESTAMPTZ',
  description:
    'CockroachDB stores `TIMESTAMP` and `TIMESTAMPTZ` alike, as a UTC instant, and neither stores a time zone; they differ in how they read input and print output. ' +
    '`TIMESTAMP` drops the offset of a value written with one and ignores the session time zone, so clients in different zones see different instants; ' +
    "`TIMESTAMPTZ` converts to and from the session's time zone (UTC by default). CockroachDB's documentation recommends always using `TIMESTAMPTZ`.",
  docs: `${DOCS}timestamp#best-practices`,
  statements: ['create-table', 'alter-table'],
  check(context) {
    const text = context.statements[context.index]?.text ?? '';
    for (const { column, type } of declaredTypes(context.statement)) {
      const edits = toTimestamptz(text, type);
      context.report(
        type,
        `${column.value} is TIMESTAMP (without time zone): a value written with an offset loses it, and the session time zone is ignored. CockroachDB recommends TIMESTAMPTZ (the same storage, a UTC instant; no zone is stored).`,
        edits ? [{ title: 'Use TIMESTAMPTZ', edits }] : [],
      );
    }
  },
};
