// SHOW statements about a database's objects beyond tables: SHOW CREATE DATABASE / VIEW /
// SEQUENCE / ALL TABLES, SHOW ENUMS, SHOW TYPES, SHOW SEQUENCES, in CockroachDB's shapes. A
// database is a schema in the engine; CockroachDB shows its objects in schema `public`.
import type * as ast from '../../../sql/src/ast';
import { lex, type Token } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import { OID } from '../wire/messages';
import type { DatabaseMeta } from './catalog';
import type { SqlSession } from './context';
import { SqlError, SQLSTATE } from './errors';
import { rowsResult, type QueryResult } from './result';
import { isPunct, isWord, Rewriter } from './rewrite';
import { requireDatabase, textArray, type Row } from './showHelpers';
import { showCreateTable } from './showTables';
import { resolveParts } from './tables';

const INVALID_SCHEMA_NAME = '3F000';

/** CREATE DATABASE as CockroachDB prints it back (regions sorted, survival goal once multi-region). */
export function createDatabaseStatement(db: DatabaseMeta): string {
  let create = `CREATE DATABASE ${quoteIdent(db.name)}`;
  if (db.primaryRegion === undefined) return create;
  const regions = [...db.regions].sort().map(quoteIdent);
  create += ` PRIMARY REGION ${quoteIdent(db.primaryRegion)} REGIONS = ${regions.join(', ')}`;
  create += ` SURVIVE ${db.survival === 'region' ? 'REGION' : 'ZONE'} FAILURE`;
  if (db.placement === 'restricted') create += ' PLACEMENT RESTRICTED';
  if (db.secondaryRegion !== undefined) create += ` SECONDARY REGION ${quoteIdent(db.secondaryRegion)}`;
  return create;
}

/** The database a SHOW … FROM names (the session's when none is), or CockroachDB's name-resolution error. */
export function databaseToShow(session: SqlSession, name: string | undefined): DatabaseMeta {
  const db = session.cluster.catalog.databases.get(name ?? session.database);
  if (!db) throw new SqlError(INVALID_SCHEMA_NAME, 'target database or schema does not exist');
  return db;
}

export function showCreateDatabase(session: SqlSession, sql: string, name: string | undefined): QueryResult {
  const db = databaseToShow(session, name ?? '');
  return rowsResult(sql, ['database_name', 'create_statement'], [[db.name, createDatabaseStatement(db)]]);
}

/** The engine's relation a written name denotes, with its CockroachDB database. */
async function relation(
  session: SqlSession,
  name: ast.QualifiedName,
  kinds: string,
): Promise<{ database: string; name: string; oid: number; kind: string } | undefined> {
  const resolved = resolveParts(
    session,
    name.parts.map((p) => p.value),
  );
  if (resolved.schema !== 'public') return undefined;
  const found = await session.cluster.engine.query<{ oid: string; relkind: string }>(
    `SELECT c.oid::text AS oid, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind::text = ANY ($3::text[])`,
    [resolved.database, resolved.name, `{${kinds.split('').join(',')}}`],
  );
  const row = found.rows[0];
  return row ? { database: resolved.database, name: resolved.name, oid: Number(row.oid), kind: row.relkind } : undefined;
}

function undefinedRelation(name: ast.QualifiedName): SqlError {
  return new SqlError(SQLSTATE.undefinedTable, `relation "${name.parts.map((p) => p.value).join('.')}" does not exist`);
}

export async function showCreateView(session: SqlSession, sql: string, name: ast.QualifiedName | undefined): Promise<QueryResult> {
  const view = name && (await relation(session, name, 'vm'));
  if (!name || !view) throw name ? undefinedRelation(name) : new SqlError(SQLSTATE.syntax, 'syntax error');
  const engine = session.cluster.engine;
  const columns = await engine.query<{ attname: string }>(
    'SELECT attname FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped ORDER BY attnum',
    [view.oid],
  );
  const definition = await engine.query<{ def: string }>('SELECT pg_get_viewdef($1::oid, true) AS def', [view.oid]);
  const query = viewQuery((definition.rows[0]?.def ?? '').trim().replace(/;$/, ''), view.database);
  const kind = view.kind === 'm' ? 'MATERIALIZED VIEW' : 'VIEW';
  const create = `CREATE ${kind} public.${quoteIdent(view.name)} (\n\t${columns.rows.map((c) => quoteIdent(c.attname)).join(',\n\t')}\n) AS ${query}`;
  return rowsResult(sql, ['table_name', 'create_statement'], [[view.name, create]]);
}

/**
 * A view's query as CockroachDB stores it: on one line, the tables it reads fully qualified
 * (PostgreSQL prints it over several lines, names as written).
 */
function viewQuery(definition: string, database: string): string {
  const tokens = lex(definition).tokens;
  const rewriter = new Rewriter(definition);
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (next && next.start > token.end) rewriter.replace(token.end, next.start, ' ');
    const introduces = isWord(token, 'from', 'join') || (isPunct(token, ',') && inFromList(tokens, i));
    const name = tokens[i + 1];
    if (introduces && (name?.kind === 'ident' || name?.kind === 'qident') && !isPunct(tokens[i + 2], '.') && !isPunct(tokens[i + 2], '('))
      rewriter.insert(name.start, `${quoteIdent(database)}.public.`);
  });
  return rewriter.apply().trim();
}

/** Whether the comma at tokens[at] separates the tables of a FROM list (a FROM before it at the same depth, no clause word between). */
function inFromList(tokens: readonly Token[], at: number): boolean {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const t = tokens[i];
    if (isPunct(t, ')')) depth++;
    else if (isPunct(t, '(')) {
      if (depth === 0) return false;
      depth--;
    } else if (depth === 0 && isWord(t, 'from')) return true;
    else if (depth === 0 && isWord(t, 'select', 'where', 'group', 'order', 'having', 'on', 'limit')) return false;
  }
  return false;
}

export async function showCreateSequence(session: SqlSession, sql: string, name: ast.QualifiedName | undefined): Promise<QueryResult> {
  const sequence = name && (await relation(session, name, 'S'));
  if (!name || !sequence) throw name ? undefinedRelation(name) : new SqlError(SQLSTATE.syntax, 'syntax error');
  const settings = await session.cluster.engine.query<{ min: string; max: string; increment: string; start: string; cache: string }>(
    `SELECT seqmin::text AS min, seqmax::text AS max, seqincrement::text AS increment, seqstart::text AS start, seqcache::text AS cache
       FROM pg_sequence WHERE seqrelid = $1::oid`,
    [sequence.oid],
  );
  const s = settings.rows[0];
  if (!s) throw undefinedRelation(name);
  let create = `CREATE SEQUENCE public.${quoteIdent(sequence.name)} MINVALUE ${s.min} MAXVALUE ${s.max} INCREMENT ${s.increment} START ${s.start}`;
  if (Number(s.cache) > 1) create += ` CACHE ${s.cache}`;
  return rowsResult(sql, ['table_name', 'create_statement'], [[sequence.name, create]]);
}

/** SHOW CREATE name (or SHOW CREATE TABLE name) of a view or sequence: CockroachDB shows any relation. */
export async function showCreateRelation(session: SqlSession, sql: string, name: ast.QualifiedName): Promise<QueryResult | undefined> {
  const found = await relation(session, name, 'vmS');
  if (!found) return undefined;
  return found.kind === 'S' ? showCreateSequence(session, sql, name) : showCreateView(session, sql, name);
}

/**
 * SHOW CREATE ALL TABLES: each table, view and sequence of the current database, in creation
 * order, tables without their foreign keys; then the foreign keys added and validated, as
 * CockroachDB prints a schema that can be replayed in order.
 */
export async function showCreateAllTables(session: SqlSession, sql: string): Promise<QueryResult> {
  const db = requireDatabase(session, undefined);
  // Tables, views and sequences in the order they were created, which puts what an object
  // depends on before it.
  const relations = await session.cluster.engine.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'v', 'm', 'S') ORDER BY c.oid`,
    [db.name],
  );
  const creates: string[] = [];
  const addForeignKeys: string[] = [];
  const validations: string[] = [];
  for (const relation of relations.rows) {
    const name = {
      start: 0,
      end: 0,
      parts: [{ start: 0, end: 0, value: relation.name, quoted: true }],
      name: { start: 0, end: 0, value: relation.name, quoted: true },
    };
    if (relation.kind !== 'r') {
      const shown = relation.kind === 'S' ? await showCreateSequence(session, sql, name) : await showCreateView(session, sql, name);
      creates.push(`${shown.rows[0]?.[1] ?? ''};`);
      continue;
    }
    const table = session.cluster.catalog.table(db.name, relation.name);
    // Temporary and internal tables the catalog does not keep are not the database's schema.
    if (!table) continue;
    const shown = await showCreateTable(session, sql, name);
    const create = shown.rows[0]?.[1] ?? '';
    const lines = create.split('\n');
    const kept: string[] = [];
    for (const line of lines) {
      const foreignKey = /^\tCONSTRAINT (\S+) FOREIGN KEY /.exec(line);
      if (!foreignKey) {
        kept.push(line);
        continue;
      }
      const constraint = line.trim().replace(/,$/, '');
      addForeignKeys.push(`ALTER TABLE public.${quoteIdent(table.name)} ADD ${constraint};`);
      validations.push(`ALTER TABLE public.${quoteIdent(table.name)} VALIDATE CONSTRAINT ${foreignKey[1] ?? ''};`);
    }
    // The line before a removed last constraint loses its trailing comma.
    const text = kept.join('\n').replace(/,\n\)/, '\n)');
    creates.push(`${text};`);
  }
  return rowsResult(
    sql,
    ['create_statement'],
    [...creates, ...addForeignKeys, ...validations].map((s) => [s]),
  );
}

/** The current database's enums: the engine's, and the region enum of a multi-region database. */
export async function showEnums(session: SqlSession, sql: string, databaseName: string | undefined): Promise<QueryResult> {
  const db = databaseToShow(session, databaseName);
  const rows = await enumRows(session, db);
  return rowsResult(sql, ['schema', 'name', ['values', OID.textArray], 'owner'], rows);
}

async function enumRows(session: SqlSession, db: DatabaseMeta): Promise<Row[]> {
  const found = await session.cluster.engine.query<{ name: string; labels: string[]; owner: string }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels, r.rolname AS owner
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
       LEFT JOIN pg_roles r ON r.oid = t.typowner
      WHERE n.nspname = $1 GROUP BY t.typname, r.rolname`,
    [db.name],
  );
  const rows: Row[] = found.rows.map((r) => ['public', r.name, textArray(r.labels), r.owner === 'postgres' ? 'root' : r.owner]);
  if (db.primaryRegion !== undefined) rows.push(['public', 'crdb_internal_region', textArray([...db.regions].sort()), 'root']);
  return rows.sort((a, b) => (a[1] ?? '').localeCompare(b[1] ?? ''));
}

/** SHOW TYPES: user-defined types of the current database (enums and composite types). */
export async function showTypes(session: SqlSession, sql: string): Promise<QueryResult> {
  const db = requireDatabase(session, undefined);
  const found = await session.cluster.engine.query<{ name: string; owner: string }>(
    `SELECT t.typname AS name, r.rolname AS owner FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       LEFT JOIN pg_roles r ON r.oid = t.typowner
      WHERE n.nspname = $1 AND (t.typtype = 'e' OR (t.typtype = 'c' AND t.typrelid IN (SELECT oid FROM pg_class WHERE relkind = 'c')))`,
    [db.name],
  );
  const rows: Row[] = found.rows.map((r) => ['public', r.name, r.owner === 'postgres' ? 'root' : r.owner]);
  if (db.primaryRegion !== undefined) rows.push(['public', 'crdb_internal_region', 'root']);
  rows.sort((a, b) => (a[1] ?? '').localeCompare(b[1] ?? ''));
  return rowsResult(sql, ['schema', 'name', 'owner'], rows);
}

/** SHOW SEQUENCES [FROM database]. */
export async function showSequences(session: SqlSession, sql: string, databaseName: string | undefined): Promise<QueryResult> {
  const db = databaseToShow(session, databaseName);
  const found = await session.cluster.engine.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY 1`,
    [db.name],
  );
  return rowsResult(
    sql,
    ['sequence_schema', 'sequence_name'],
    found.rows.map((r) => ['public', r.name]),
  );
}
