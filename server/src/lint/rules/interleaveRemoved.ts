// Flags INTERLEAVE IN PARENT (CREATE TABLE and CREATE INDEX) with what the target version does
// with it: deprecated in v20.2; refused in v21.1 unless sql.defaults.interleaved_tables.enabled
// is on; parsed and ignored (a notice) in v21.2; a syntax error from v22.1, when it left the
// grammar. A primary key that starts with the parent's key keeps the rows together instead.
//
//   CREATE TABLE notes (…) INTERLEAVE IN PARENT ledger (ledger_id);  -- error
import type * as ast from '../../../../sql/src/ast';
import type { Rule } from '../rule';
import { atLeast, formatVersion, SINCE, type CockroachVersion } from '../version';

/** What CockroachDB of that version does with the clause. */
export function interleaveMessage(version: CockroachVersion): string {
  const target = formatVersion(version);
  if (atLeast(version, SINCE.interleaveSyntaxError))
    return `INTERLEAVE IN PARENT is a syntax error on CockroachDB ${target}: it left the grammar in ${SINCE.interleaveSyntaxError}. Remove it; a primary key that starts with the parent's key keeps the rows close.`;
  if (atLeast(version, SINCE.interleaveIgnored))
    return `INTERLEAVE IN PARENT is ignored on CockroachDB ${target} (with a notice): the table is not interleaved, and the clause is a syntax error from ${SINCE.interleaveSyntaxError}.`;
  if (atLeast(version, SINCE.interleaveDisabled))
    return `INTERLEAVE IN PARENT fails on CockroachDB ${target} unless the cluster setting sql.defaults.interleaved_tables.enabled is on; interleaving is ignored from ${SINCE.interleaveIgnored} and a syntax error from ${SINCE.interleaveSyntaxError}.`;
  return `INTERLEAVE IN PARENT is deprecated since v20.2: it is refused by default in ${SINCE.interleaveDisabled}, ignored in ${SINCE.interleaveIgnored} and a syntax error from ${SINCE.interleaveSyntaxError}.`;
}

export const interleaveRemoved: Rule = {
  id: 'interleave-removed',
  defaultSeverity: 'error',
  title: 'INTERLEAVE IN PARENT (ignored in v21.2, a syntax error from v22.1)',
  description:
    'Interleaved tables and indexes were deprecated in v20.2, disabled by default in v21.1 (`sql.defaults.interleaved_tables.enabled`), ' +
    'accepted and ignored with a notice in v21.2, and removed from the grammar in v22.1, where the clause is a syntax error. ' +
    "Use a primary key that starts with the parent's key instead: the rows stay close without interleaving.",
  docs: 'https://www.cockroachlabs.com/docs/v21.1/interleave-in-parent',
  statements: ['create-table', 'create-index', 'alter-table'],
  check(context) {
    const text = context.statements[context.index]?.text ?? '';
    const clauses = interleaveClauses(context.statement);
    for (let i = 0; i < clauses.length; i++) {
      const clause = clauses[i];
      if (!clause) continue;
      // Remove the clause and the whitespace before it.
      let from = clause.start;
      while (from > 0 && isSpace(text.charCodeAt(from - 1))) from--;
      context.report(clause, interleaveMessage(context.cockroachVersion), [
        { title: 'Remove INTERLEAVE IN PARENT', edits: [{ start: from, end: clause.end, newText: '' }], preferred: true },
      ]);
    }
  },
};

/** `clauses` with `clause` added, once (an index that is also the primary key is reachable twice); made on the first. */
function withClause(clauses: ast.Span[] | undefined, clause: ast.Span | undefined): ast.Span[] | undefined {
  if (!clause) return clauses;
  if (!clauses) return [clause];
  if (!clauses.some((known) => known.start === clause.start)) clauses.push(clause);
  return clauses;
}

/**
 * Every INTERLEAVE IN PARENT of a statement: after the table, after an index (in the column list
 * too). Almost no statement has one, and this runs on every CREATE TABLE and CREATE INDEX of a
 * lint: nothing is allocated until a clause is found.
 */
function interleaveClauses(statement: ast.Statement): readonly ast.Span[] {
  let clauses: ast.Span[] | undefined;
  if (statement.type === 'create-table') {
    clauses = withClause(clauses, statement.interleave);
    for (let i = 0; i < statement.indexes.length; i++) clauses = withClause(clauses, statement.indexes[i]?.interleave);
    clauses = withClause(clauses, statement.primaryKey?.interleave);
  }
  if (statement.type === 'create-index') {
    clauses = withClause(clauses, statement.interleave);
    clauses = withClause(clauses, statement.index.interleave);
  }
  if (statement.type === 'alter-table')
    for (const command of statement.commands)
      if (command.kind === 'add-constraint' || command.kind === 'alter-primary-key')
        clauses = withClause(clauses, command.index?.interleave);
  return clauses ?? NONE;
}

const NONE: readonly ast.Span[] = [];

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
