// Object names as CockroachDB reads and prints them: which database, schema and object a
// 1-, 2- or 3-part name means, and when an identifier needs double quotes.

/**
 * Words CockroachDB's grammar reserves (its reserved and type/function-name keyword classes), and
 * the few more PostgreSQL reserves (the simulated cluster's engine reads the same names): as a
 * name they must be quoted. Quoting more than needed is harmless; quoting less is a syntax error.
 */
export const RESERVED: ReadonlySet<string> = new Set([
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'authorization',
  'binary',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'collation',
  'column',
  'concurrently',
  'constraint',
  'create',
  'cross',
  'current_catalog',
  'current_date',
  'current_role',
  'current_schema',
  'current_time',
  'current_timestamp',
  'current_user',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'family',
  'fetch',
  'for',
  'foreign',
  'freeze',
  'from',
  'full',
  'grant',
  'group',
  'having',
  'ilike',
  'in',
  'index',
  'initially',
  'inner',
  'intersect',
  'into',
  'is',
  'iserror',
  'isnull',
  'join',
  'lateral',
  'leading',
  'left',
  'like',
  'limit',
  'localtime',
  'localtimestamp',
  'natural',
  'not',
  'nothing',
  'notnull',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'outer',
  'overlaps',
  'placing',
  'primary',
  'references',
  'returning',
  'right',
  'select',
  'session_user',
  'similar',
  'some',
  'symmetric',
  'table',
  'tablesample',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'variadic',
  'verbose',
  'when',
  'where',
  'window',
  'with',
]);

/** Whether `name` reads back as itself without quotes: lower-case letters, digits, `_`, `$`, not reserved. */
export function isBareIdentifier(name: string): boolean {
  if (name.length === 0 || RESERVED.has(name)) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const lower = c >= 97 && c <= 122;
    const underscore = c === 95;
    const digitOrDollar = (c >= 48 && c <= 57) || c === 36;
    if (!(lower || underscore || (i > 0 && digitOrDollar))) return false;
  }
  return true;
}

/** An identifier as CockroachDB prints it: bare when it reads back unchanged, else double-quoted. */
export function quoteIdent(name: string): string {
  return isBareIdentifier(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** A string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Schemas every database has. User-defined schemas are not modelled. */
export const BUILTIN_SCHEMAS: ReadonlySet<string> = new Set([
  'public',
  'crdb_internal',
  'information_schema',
  'pg_catalog',
  'pg_extension',
]);

export interface ResolvedName {
  database: string;
  schema: string;
  name: string;
}

/**
 * What a written name means, as CockroachDB resolves it: `t` is the current database's
 * `public.t`; `a.b` is schema `a` of the current database when it has one (so `public.t` stays
 * in the current database even beside a database named `public`), else table `b` of database
 * `a`'s public schema; `d.s.t` is explicit. `isDatabase` is asked only when the answer depends
 * on it.
 */
export function resolveName(parts: readonly string[], currentDatabase: string, isDatabase: (name: string) => boolean): ResolvedName {
  const name = parts[parts.length - 1] ?? '';
  if (parts.length >= 3) return { database: parts[parts.length - 3] ?? currentDatabase, schema: parts[parts.length - 2] ?? 'public', name };
  if (parts.length === 2) {
    const first = parts[0] ?? '';
    if (!BUILTIN_SCHEMAS.has(first) && isDatabase(first)) return { database: first, schema: 'public', name };
    return { database: currentDatabase, schema: first, name };
  }
  return { database: currentDatabase, schema: 'public', name };
}
