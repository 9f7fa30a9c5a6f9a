// CockroachDB names an index (and the UNIQUE or PRIMARY KEY constraint it backs) within its
// table: two tables may each have an index `idx`, and a dump from CockroachDB before v22.1 names
// every primary key `"primary"`. The engine names indexes within its schema (a database), beside
// the tables. An index whose name another relation of the database already holds is given an
// engine name of its own, its name and `@<n>` (a name with `@` in it always is, so that the
// suffix reads one way); wherever the engine's name comes back, its CockroachDB name is shown.
import type * as ast from '../../../sql/src/ast';
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent } from '../../../sql/src/names';
import type { ClusterContext } from './context';
import { isWord } from './rewrite';

const SUFFIX = '@';

/** The CockroachDB name of an index (or index-backed constraint) from the engine's name for it. */
export function displayIndexName(engineName: string): string {
  const at = engineName.lastIndexOf(SUFFIX);
  if (at <= 0 || at === engineName.length - 1) return engineName;
  for (let i = at + 1; i < engineName.length; i++) {
    const code = engineName.charCodeAt(i);
    if (code < 48 || code > 57) return engineName;
  }
  return engineName.slice(0, at);
}

/** How the engine's SQL writes the index it calls `engineName` in `database`: `"db".name`. */
export function engineIndexRelation(database: string, engineName: string): string {
  return `${quoteIdent(database)}.${quoteIdent(engineName)}`;
}

/** The same, in the engine's SQL, for a query that returns an index's name from `column`. */
export function displayIndexNameSql(column: string): string {
  return `regexp_replace(${column}, '@[0-9]+$', '')`;
}

/** The names of the database's relations (tables, indexes, sequences, views) that start with `prefix`: one lookup. */
export async function relationNamesFrom(cluster: ClusterContext, database: string, prefix: string): Promise<string[]> {
  const result = await cluster.engine.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND starts_with(c.relname, $2)`,
    [database, prefix],
  );
  return result.rows.map((r) => r.relname);
}

/**
 * The engine's name for an index-backed name `name` written for a new index or constraint of a
 * table in `database`: the name itself when no relation of the database holds it (nor `reserved`),
 * else the first free `name@<n>`.
 */
export async function engineIndexName(
  cluster: ClusterContext,
  database: string,
  name: string,
  reserved: ReadonlySet<string> = new Set(),
): Promise<string> {
  const taken = new Set([...reserved, ...(await relationNamesFrom(cluster, database, name))]);
  if (!name.includes(SUFFIX) && !taken.has(name)) return name;
  for (let n = 1; ; n++) if (!taken.has(`${name}${SUFFIX}${n}`)) return `${name}${SUFFIX}${n}`;
}

/**
 * The names a CREATE TABLE writes for what the engine makes an index of: its INDEX and UNIQUE
 * INDEX elements' names, and `CONSTRAINT name` before PRIMARY KEY or UNIQUE (of the table or of a
 * column). Names of other constraints (CHECK, FOREIGN KEY) the engine keeps per table.
 */
export function indexBackedNames(tokens: readonly Token[], statement: ast.CreateTable): string[] {
  const names = statement.indexes.map((index) => index.name?.value).filter((name): name is string => name !== undefined);
  for (let i = 0; i + 2 < tokens.length; i++) {
    const name = tokens[i + 1];
    if (
      isWord(tokens[i], 'constraint') &&
      name &&
      (name.kind === 'ident' || name.kind === 'qident') &&
      isWord(tokens[i + 2], 'primary', 'unique')
    )
      names.push(name.value);
  }
  return [...new Set(names)];
}

/**
 * Engine names for the index-backed names of a new table that another relation of the
 * database holds (written name → engine name); names that are free are left out.
 */
export async function engineNamesForTable(
  cluster: ClusterContext,
  database: string,
  written: readonly string[],
): Promise<Map<string, string>> {
  const renamed = new Map<string, string>();
  const reserved = new Set(written);
  for (const name of written) {
    const others = new Set([...reserved].filter((n) => n !== name));
    const engineName = await engineIndexName(cluster, database, name, new Set([...others, ...renamed.values()]));
    if (engineName !== name) renamed.set(name, engineName);
  }
  return renamed;
}
