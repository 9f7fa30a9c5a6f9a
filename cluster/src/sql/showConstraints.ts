// A table's constraints as CockroachDB lists them: SHOW CONSTRAINTS (delegateShowConstraints reads
// pg_constraint: name, type, condef, convalidated, sorted), and the CHECK and FOREIGN KEY clauses
// of SHOW CREATE TABLE. Unique indexes are UNIQUE constraints on CockroachDB, named as the index;
// the hidden rowid key is not listed; CHECK expressions read as CockroachDB prints them (checkDisplay.ts).
import type * as ast from '../../../sql/src/ast';
import { lex } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import { OID, type ErrorFields } from '../wire/messages';
import type { ClusterContext, SqlSession } from './context';
import type { CheckSource, TableMeta } from './catalog';
import { checkExpressionText, checkOfDefinition, writtenCheckText, type CheckFormat } from './checkDisplay';
import { crdbType } from './crdbTypeNames';
import { rowsResult, type QueryResult } from './result';
import { isPunct, Rewriter } from './rewrite';
import { bool } from './showHelpers';
import { requireTable } from './tables';
import type { CheckNaming } from './translate';
import { displayIndexNameSql } from './engineIndexNames';

/** An index as the engine describes it, in CockroachDB's terms (showTables.ts reads them). */
export interface IndexInfo {
  name: string;
  unique: boolean;
  primary: boolean;
  /** Key columns; `implicit`: a hash-sharded index's shard column, which CockroachDB adds in front. */
  columns: { name: string; descending: boolean; implicit?: boolean }[];
  storing: string[];
  where: string | null;
}

/** A CHECK or FOREIGN KEY constraint of a table, in creation order. */
export interface EngineConstraint {
  name: string;
  kind: 'c' | 'f';
  /** pg_get_constraintdef's text. */
  definition: string;
}

export async function engineConstraints(cluster: ClusterContext, table: TableMeta): Promise<EngineConstraint[]> {
  const result = await cluster.engine.query<EngineConstraint>(
    `SELECT con.conname AS name, con.contype AS kind, pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND con.contype IN ('f', 'c') ORDER BY con.oid`,
    [table.database, table.name],
  );
  return result.rows;
}

/** The table's columns' types, in CockroachDB's names: what a CHECK's constants are typed by. */
async function columnTypes(cluster: ClusterContext, table: TableMeta): Promise<Map<string, string>> {
  const result = await cluster.engine.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`,
    [`${quoteIdent(table.database)}.${quoteIdent(table.name)}`],
  );
  return new Map(result.rows.map((r) => [r.name, crdbType(r.type)]));
}

/**
 * A CHECK constraint's expression as CockroachDB prints it, and whether it is validated: as the
 * statement wrote it while the engine's definition is still the one it made, else from the engine's.
 */
export function checkExpression(
  table: TableMeta,
  constraint: EngineConstraint,
  types: ReadonlyMap<string, string>,
  format: CheckFormat,
): { text: string; validated: boolean } {
  const { expression, validated } = checkOfDefinition(constraint.definition);
  const written = table.checkSources?.find((c) => c.name === constraint.name && c.engine === constraint.definition);
  const text = (written && writtenCheckText(written.source, types, format)) ?? checkExpressionText(expression, types, format);
  return { text, validated };
}

/**
 * The CHECK constraints a statement wrote, with the engine's definition of each as it made it and
 * the text its violation error shows (kept for a transaction that is aborted by then, when the
 * engine cannot be asked).
 */
export async function recordedChecks(cluster: ClusterContext, table: TableMeta, written: readonly CheckSource[]): Promise<CheckSource[]> {
  const kept = (table.checkSources ?? []).filter((c) => !written.some((w) => w.name === c.name));
  if (written.length === 0) return kept;
  return [...kept, ...(await withEngineText(cluster, table, written))];
}

async function withEngineText(cluster: ClusterContext, table: TableMeta, written: readonly CheckSource[]): Promise<CheckSource[]> {
  const definitions = new Map((await engineConstraints(cluster, table)).map((c) => [c.name, c.definition]));
  const types = await columnTypes(cluster, table);
  return written.map((check) => {
    const engine = definitions.get(check.name);
    const recorded: CheckSource = { name: check.name, source: check.source };
    if (engine === undefined) return recorded;
    // As written while the engine's definition is the one it made, which it is here.
    const display =
      writtenCheckText(check.source, types, 'display') ?? checkExpressionText(checkOfDefinition(engine).expression, types, 'display');
    return { ...recorded, engine, display };
  });
}

/** A foreign key as PostgreSQL prints it (`REFERENCES t(id)`), its table in the public schema as CockroachDB prints it. */
export function referencesInPublic(definition: string): string {
  const tokens = lex(definition).tokens;
  const rewriter = new Rewriter(definition);
  tokens.forEach((token, i) => {
    const table = tokens[i + 1];
    if (token.kind === 'ident' && token.value === 'references' && table?.kind === 'ident' && isPunct(tokens[i + 2], '('))
      rewriter.insert(table.start, 'public.');
  });
  return rewriter.apply();
}

/** SHOW CONSTRAINTS FROM t: one row per constraint, sorted as CockroachDB's query sorts them. */
export async function showConstraints(
  session: SqlSession,
  sql: string,
  name: ast.QualifiedName | undefined,
  indexes: (cluster: ClusterContext, table: TableMeta) => Promise<IndexInfo[]>,
): Promise<QueryResult> {
  const table = requireTable(session, name);
  const cluster = session.cluster;
  const rows: [string, string, string, string, string][] = [];
  const constraints = await engineConstraints(cluster, table);
  const keyIndexes = await indexes(cluster, table);
  const types = await columnTypes(cluster, table);
  // A key that is no column is an expression, printed as the engine gives it.
  const keyList = (index: IndexInfo): string =>
    index.columns
      .filter((k) => k.implicit !== true)
      .map((k) => `${types.has(k.name) ? quoteIdent(k.name) : k.name} ${k.descending ? 'DESC' : 'ASC'}`)
      .join(', ');
  for (const index of keyIndexes) {
    if (index.primary) {
      // A table created without a key has the hidden rowid's: CockroachDB does not list it.
      if (index.columns.every((k) => table.hidden.has(k.name) || k.implicit === true)) continue;
      const buckets = table.indexes.get(index.name)?.hashBuckets;
      const hash = buckets === undefined ? '' : ` USING HASH WITH (bucket_count=${buckets})`;
      rows.push([table.name, index.name, 'PRIMARY KEY', `PRIMARY KEY (${keyList(index)})${hash}`, 't']);
    } else if (index.unique) {
      const where = index.where === null ? '' : ` WHERE (${checkExpressionText(index.where, types, 'pg-catalog')})`;
      rows.push([table.name, index.name, 'UNIQUE', `UNIQUE (${keyList(index)})${where}`, 't']);
    }
  }
  for (const constraint of constraints) {
    if (constraint.kind === 'f') {
      // In the session's search path, the referenced table's schema is not written (showForeignKeyConstraint).
      const validated = !constraint.definition.endsWith(' NOT VALID');
      rows.push([table.name, constraint.name, 'FOREIGN KEY', constraint.definition, bool(validated)]);
    } else {
      const check = checkExpression(table, constraint, types, 'pg-catalog');
      rows.push([
        table.name,
        constraint.name,
        'CHECK',
        `CHECK ((${check.text}))${check.validated ? '' : ' NOT VALID'}`,
        bool(check.validated),
      ]);
    }
  }
  rows.sort((a, b) => compareRows(a, b));
  return rowsResult(sql, ['table_name', 'constraint_name', 'constraint_type', 'details', ['validated', OID.bool]], rows);
}

function compareRows(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The engine's CHECK violation (`new row for relation "t" violates check constraint "c"`) in
 * CockroachDB's words: `failed to satisfy CHECK constraint (<expression>)`. The expression is read
 * from the engine, which an aborted transaction cannot ask: there the error stays the engine's.
 */
export async function checkViolation(session: SqlSession, error: ErrorFields, canQuery: boolean): Promise<ErrorFields> {
  const match = /^new row for relation "(.+)" violates check constraint "(.+)"$/.exec(error.message);
  const [, relation, constraint] = match ?? [];
  if (relation === undefined || constraint === undefined) return error;
  const catalog = session.cluster.catalog;
  const table = catalog.table(session.database, relation) ?? [...catalog.tables.values()].find((t) => t.name === relation);
  if (!table) return error;
  const failed = (text: string): ErrorFields => ({
    severity: error.severity ?? 'ERROR',
    code: error.code,
    message: `failed to satisfy CHECK constraint (${text})`,
  });
  if (!canQuery) {
    const display = table.checkSources?.find((c) => c.name === constraint)?.display;
    return display === undefined ? error : failed(display);
  }
  const check = (await engineConstraints(session.cluster, table)).find((c) => c.kind === 'c' && c.name === constraint);
  if (!check) return error;
  return failed(checkExpression(table, check, await columnTypes(session.cluster, table), 'display').text);
}

/** The table's columns and constraint names, for naming an unnamed CHECK that ALTER TABLE adds. */
export async function checkNaming(cluster: ClusterContext, table: TableMeta): Promise<CheckNaming> {
  const result = await cluster.engine.query<{ name: string }>(
    `SELECT conname AS name FROM pg_constraint WHERE conrelid = to_regclass($1)
      UNION SELECT ${displayIndexNameSql('ic.relname')} FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = to_regclass($1)`,
    [`${quoteIdent(table.database)}.${quoteIdent(table.name)}`],
  );
  return { columns: new Set((await columnTypes(cluster, table)).keys()), taken: new Set(result.rows.map((r) => r.name)) };
}

/**
 * The written CHECK constraints after a column's rename: the column renamed in their text, and the
 * engine's new definitions taken as theirs (the engine renamed the column in its own).
 */
export async function renameInChecks(cluster: ClusterContext, table: TableMeta, from: string, to: string): Promise<void> {
  const written = table.checkSources;
  if (!written || written.length === 0) return;
  const renamed = written.map((check) => {
    const rewriter = new Rewriter(check.source);
    for (const token of lex(check.source).tokens)
      if ((token.kind === 'ident' || token.kind === 'qident') && token.value === from)
        rewriter.replace(token.start, token.end, quoteIdent(to));
    return { name: check.name, source: rewriter.apply() };
  });
  table.checkSources = await withEngineText(cluster, table, renamed);
}
