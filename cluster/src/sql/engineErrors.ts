// The engine's (PostgreSQL's) errors in CockroachDB's words, where the two differ: one place that
// maps an engine error, knowing the statement that caused it, to CockroachDB's SQLSTATE, message,
// hint and detail. Errors CockroachDB words the same way pass through unchanged.
import { lex } from '../../../sql/src/lexer';
import type { ErrorFields } from '../wire/messages';
import { displayIndexName } from './engineIndexNames';
import { cockroachSyntaxError } from './syntaxErrors';
import { isPunct, isWord, skipGroup } from './rewrite';

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
  return (
    foreignKeyTypeMismatch(statement, error) ??
    foreignKeyViolation(statement, error) ??
    uniqueViolation(error) ??
    notNullViolation(error) ??
    upsertCardinality(error) ??
    sequenceFunctionError(error) ??
    integerSyntaxError(error) ??
    checkClauseError(error) ??
    nonBooleanCheck(statement, error) ??
    unsupportedOperator(error) ??
    cockroachSyntaxError(error) ??
    error
  );
}

/** The write a statement does: its first INSERT / UPSERT / UPDATE / DELETE keyword (after a WITH). */
function writeKind(statement: string): 'insert' | 'update' | 'delete' | undefined {
  for (const token of lex(statement).tokens) {
    if (isWord(token, 'insert', 'upsert')) return 'insert';
    if (isWord(token, 'update')) return 'update';
    if (isWord(token, 'delete')) return 'delete';
  }
  return undefined;
}

/**
 * PostgreSQL names both possible writes (`insert or update on table "c"`, `update or delete on
 * table "p" … on table "c"`); CockroachDB names the one the statement did. The detail is the same.
 */
function foreignKeyViolation(statement: string, error: ErrorFields): ErrorFields | undefined {
  if (error.code !== '23503') return undefined;
  const kind = writeKind(statement);
  const child = /^insert or update on table (".*") violates foreign key constraint (".*")$/.exec(error.message);
  if (child)
    return {
      ...error,
      message: `${kind === 'update' ? 'update' : 'insert'} on table ${child[1] ?? ''} violates foreign key constraint ${child[2] ?? ''}`,
    };
  const parent = /^update or delete on table (".*") violates foreign key constraint (".*") on table (".*")$/.exec(error.message);
  if (parent)
    return {
      ...error,
      message: `${kind === 'update' ? 'update' : 'delete'} on table ${parent[1] ?? ''} violates foreign key constraint ${parent[2] ?? ''} on table ${parent[3] ?? ''}`,
    };
  return undefined;
}

/** A unique violation names the constraint by its CockroachDB name, not the engine's (engineIndexNames.ts). */
function uniqueViolation(error: ErrorFields): ErrorFields | undefined {
  if (error.code !== '23505') return undefined;
  const match = /^duplicate key value violates unique constraint "(.*)"$/.exec(error.message);
  const engineName = match?.[1];
  if (engineName === undefined || displayIndexName(engineName) === engineName) return undefined;
  return { ...error, message: `duplicate key value violates unique constraint "${displayIndexName(engineName)}"` };
}

/** PostgreSQL: `null value in column "v" of relation "t" violates not-null constraint` and the failing row; CockroachDB names the column only. */
function notNullViolation(error: ErrorFields): ErrorFields | undefined {
  if (error.code !== '23502') return undefined;
  const match = /^null value in column (".*") of relation ".*" violates not-null constraint$/.exec(error.message);
  if (!match) return undefined;
  return {
    severity: error.severity ?? 'ERROR',
    code: error.code,
    message: `null value in column ${match[1] ?? ''} violates not-null constraint`,
  };
}

/**
 * An error of a sequence function: CockroachDB prefixes a built-in function's error with the
 * function's name and `()` (`nextval(): reached maximum value of sequence "s" (10)`), where
 * PostgreSQL writes `nextval: …`, or nothing before `currval of sequence …` and `lastval is …`.
 */
function sequenceFunctionError(error: ErrorFields): ErrorFields | undefined {
  if (error.code !== '2200H' && error.code !== '22003' && error.code !== '55000') return undefined;
  const prefixed = /^(nextval|setval): /.exec(error.message);
  if (prefixed) return { ...error, message: `${prefixed[1] ?? ''}()${error.message.slice(prefixed[0].length - 2)}` };
  const named = /^(currval|lastval) (?:of sequence ".*" )?is not yet defined in this session$/.exec(error.message);
  if (named) return { ...error, message: `${named[1] ?? ''}(): ${error.message}` };
  return undefined;
}

/** A row an UPSERT or INSERT … ON CONFLICT DO UPDATE writes twice: CockroachDB's words, without PostgreSQL's hint. */
function upsertCardinality(error: ErrorFields): ErrorFields | undefined {
  if (error.code !== '21000' || error.message !== 'ON CONFLICT DO UPDATE command cannot affect row a second time') return undefined;
  return {
    severity: error.severity ?? 'ERROR',
    code: error.code,
    message: 'UPSERT or INSERT...ON CONFLICT command cannot affect row a second time',
  };
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

/** A string that is no integer, given as one: CockroachDB reports its parser's words. */
function integerSyntaxError(error: ErrorFields): ErrorFields | undefined {
  if (error.code !== '22P02') return undefined;
  const match = /^invalid input syntax for type (?:bigint|integer|smallint): "(.*)"$/.exec(error.message);
  if (!match) return undefined;
  const text = match[1] ?? '';
  return { ...error, message: `could not parse "${text}" as type int: strconv.ParseInt: parsing "${text}": invalid syntax` };
}

/** What a CHECK expression may not hold, in CockroachDB's words (it names the clause CHECK). */
function checkClauseError(error: ErrorFields): ErrorFields | undefined {
  const clause = /^(aggregate|window) functions are not allowed in check constraints$/.exec(error.message);
  if (clause) return { ...error, message: `${clause[1] ?? ''} functions are not allowed in CHECK` };
  if (error.message === 'cannot use subquery in check constraint')
    return { ...error, message: 'variable sub-expressions are not allowed in CHECK' };
  return undefined;
}

/** CockroachDB's short type names in operator errors: `<int>`, `<string>`, `<bool>`. */
const OPERAND_TYPES = new Map([
  ['bigint', 'int'],
  ['integer', 'int'],
  ['smallint', 'int'],
  ['text', 'string'],
  ['character varying', 'varchar'],
  ['boolean', 'bool'],
  ['numeric', 'decimal'],
  ['double precision', 'float'],
  ['real', 'float4'],
  ['timestamp with time zone', 'timestamptz'],
  ['timestamp without time zone', 'timestamp'],
  ['bytea', 'bytes'],
]);
const COMPARISON_OPERATORS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=', '~~', '!~~', '~~*', '!~~*']);

function operandType(pgName: string): string {
  return `<${OPERAND_TYPES.get(pgName) ?? pgName}>`;
}

/**
 * `operator does not exist: boolean - boolean`: CockroachDB says which kind of operator has no
 * overload for the operands (`unsupported binary operator: <bool> - <bool>`), without a hint.
 */
function unsupportedOperator(error: ErrorFields): ErrorFields | undefined {
  if (error.code !== '42883') return undefined;
  const binary = /^operator does not exist: (.+?) ([^\w\s]+) (.+)$/.exec(error.message);
  const [, left, operator, right] = binary ?? [];
  if (left !== undefined && operator !== undefined && right !== undefined) {
    const kind = COMPARISON_OPERATORS.has(operator) ? 'comparison' : 'binary';
    const shown = operator === '<>' ? '!=' : operator;
    return {
      severity: error.severity ?? 'ERROR',
      code: error.code,
      message: `unsupported ${kind} operator: ${operandType(left)} ${shown} ${operandType(right)}`,
    };
  }
  const unary = /^operator does not exist: ([^\w\s]+) (.+)$/.exec(error.message);
  const [, op, operand] = unary ?? [];
  if (op !== undefined && operand !== undefined)
    return { severity: error.severity ?? 'ERROR', code: error.code, message: `unsupported unary operator: ${op}${operandType(operand)}` };
  return undefined;
}

/**
 * `argument of CHECK must be type boolean, not type integer`: CockroachDB names the expression,
 * which the engine does not; read from the statement when it writes one CHECK only.
 */
function nonBooleanCheck(statement: string, error: ErrorFields): ErrorFields | undefined {
  const match = /^argument of CHECK must be type boolean, not type (.+)$/.exec(error.message);
  const type = match?.[1];
  if (type === undefined) return undefined;
  const tokens = lex(statement).tokens;
  const checks: string[] = [];
  tokens.forEach((token, i) => {
    if (!isWord(token, 'check') || !isPunct(tokens[i + 1], '(')) return;
    const end = skipGroup(tokens, i + 1);
    checks.push(statement.slice(tokens[i + 2]?.start ?? 0, tokens[end - 2]?.end ?? 0));
  });
  const only = checks.length === 1 ? checks[0] : undefined;
  if (only === undefined) return undefined;
  const shown = OPERAND_TYPES.get(type) ?? type;
  return { ...error, message: `expected CHECK expression to have type bool, but '${only}' has type ${shown}` };
}
