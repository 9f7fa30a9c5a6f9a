// The engine's (PostgreSQL's) errors in CockroachDB's words, where the two differ: one place that
// maps an engine error, knowing the statement that caused it, to CockroachDB's SQLSTATE, message,
// hint and detail. Errors CockroachDB words the same way pass through unchanged.
import { lex } from '../../../sql/src/lexer';
import type { ErrorFields } from '../wire/messages';
import { cockroachSyntaxError } from './syntaxErrors';
import { isPunct, isWord } from './rewrite';

/** PostgreSQL's type names as CockroachDB prints them in errors. */
const CRDB_TYPE_NAMES = new Map<string, string>([
  ['bigint', 'INT8'],
  ['integer', 'INT4'],
  ['smallint', 'INT2'],
  ['text', 'STRING'],
  ['character varying', 'VARCHAR'],
  ['character', 'CHAR'],
  ['uuid', 'UUID'],
  ['boolean', 'BOOL'],
  ['double precision', 'FLOAT8'],
  ['real', 'FLOAT4'],
  ['numeric', 'DECIMAL'],
  ['bytea', 'BYTES'],
  ['date', 'DATE'],
  ['timestamp without time zone', 'TIMESTAMP'],
  ['timestamp with time zone', 'TIMESTAMPTZ'],
  ['time without time zone', 'TIME'],
  ['interval', 'INTERVAL'],
  ['jsonb', 'JSONB'],
  ['inet', 'INET'],
]);

function crdbTypeName(pgName: string): string {
  return CRDB_TYPE_NAMES.get(pgName) ?? pgName.toUpperCase();
}

/** CockroachDB's version of an engine error raised by `statement`. */
export function cockroachEngineError(statement: string, error: ErrorFields): ErrorFields {
  return foreignKeyTypeMismatch(statement, error) ?? cockroachSyntaxError(error) ?? error;
}

/**
 * PostgreSQL: `foreign key constraint "…" cannot be implemented` with the detail `Key columns "a"
 * and "b" are of incompatible types: bigint and uuid.` CockroachDB: `type of "a" (INT8) does not
 * match foreign key "t"."b" (UUID)`, 42804, no detail.
 */
function foreignKeyTypeMismatch(statement: string, error: ErrorFields): ErrorFields | undefined {
  if (error.code !== '42804' || !/^foreign key constraint ".*" cannot be implemented$/.test(error.message)) return undefined;
  // PostgreSQL 17 names the columns' tables ("… of the referencing table and … of the referenced table").
  const detail =
    /^Key columns "((?:[^"]|"")*)"(?: of the referencing table)? and "((?:[^"]|"")*)"(?: of the referenced table)? are of incompatible types: (.+) and (.+)\.$/.exec(
      error.detail ?? '',
    );
  if (!detail) return undefined;
  const [, from = '', to = '', fromType = '', toType = ''] = detail;
  const table = referencedTable(statement, to);
  if (table === undefined) return undefined;
  return {
    severity: 'ERROR',
    code: '42804',
    message: `type of "${from}" (${crdbTypeName(fromType)}) does not match foreign key "${table}"."${to}" (${crdbTypeName(toType)})`,
  };
}

/** The table a REFERENCES clause of the statement names: the one whose column list holds `column`, else the only one. */
function referencedTable(statement: string, column: string): string | undefined {
  const tokens = lex(statement).tokens;
  const tables: { name: string; columns: string[] }[] = [];
  tokens.forEach((token, i) => {
    if (!isWord(token, 'references')) return;
    let j = i + 1;
    let name: string | undefined;
    while (tokens[j]?.kind === 'ident' || tokens[j]?.kind === 'qident') {
      name = tokens[j]?.value;
      if (!isPunct(tokens[j + 1], '.')) break;
      j += 2;
    }
    if (name === undefined) return;
    const columns: string[] = [];
    if (isPunct(tokens[j + 1], '(')) {
      for (let k = j + 2; k < tokens.length && !isPunct(tokens[k], ')'); k++) {
        const t = tokens[k];
        if (t?.kind === 'ident' || t?.kind === 'qident') columns.push(t.value);
      }
    }
    tables.push({ name, columns });
  });
  const named = tables.filter((t) => t.columns.includes(column));
  if (named.length >= 1) return named[0]?.name;
  const distinct = [...new Set(tables.map((t) => t.name))];
  return distinct.length === 1 ? distinct[0] : undefined;
}
