// A table's storage parameters, `CREATE TABLE … WITH (name = value, …)`: CockroachDB's own, so the
// engine never sees them; the catalog keeps them and SHOW CREATE TABLE prints them back in
// CockroachDB's order and spelling. Row-Level TTL (ttl_expire_after) also adds the hidden
// crdb_internal_expiration column, a TIMESTAMPTZ defaulting to now + the interval. Not simulated:
// its ON UPDATE (an UPDATE leaves the expiration as it was) and the TTL job that deletes expired rows.
import type { Token } from '../../../sql/src/lexer';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import type { StorageParam, TableMeta } from './catalog';
import type { ClusterContext } from './context';
import { SqlError, SQLSTATE } from './errors';
import { isPunct, isWord, skipGroup } from './rewrite';

export const EXPIRATION_COLUMN = 'crdb_internal_expiration';

/** CockroachDB's table storage parameters, in the order SHOW CREATE TABLE prints them. */
const KNOWN = [
  'ttl',
  'ttl_expire_after',
  'ttl_expiration_expression',
  'ttl_select_batch_size',
  'ttl_delete_batch_size',
  'ttl_select_rate_limit',
  'ttl_delete_rate_limit',
  'ttl_pause',
  'ttl_row_stats_poll_interval',
  'ttl_label_metrics',
  'ttl_job_cron',
  'ttl_disable_changefeed_replication',
  'exclude_data_from_backup',
  'sql_stats_automatic_collection_enabled',
  'sql_stats_automatic_collection_min_stale_rows',
  'sql_stats_automatic_collection_fraction_stale_rows',
  'sql_stats_forecasts_enabled',
  'sql_stats_histogram_samples_count',
  'sql_stats_histogram_buckets_count',
  'schema_locked',
];
/** Accepted for PostgreSQL's sake and ignored, with a notice. */
const IGNORED = new Set(['fillfactor', 'autovacuum_enabled', 'toast_tuple_target', 'parallel_workers']);

/** The parameters of a `WITH (…)` that follows the element list (tokens from `after` on); empty when none. */
export function writtenStorageParams(tokens: readonly Token[], after: number): { params: StorageParam[]; notices: string[] } {
  const at = tokens.findIndex((t, i) => i >= after && isWord(t, 'with') && isPunct(tokens[i + 1], '('));
  if (at === -1) return { params: [], notices: [] };
  const written = parameterList(tokens, at + 1);
  checkTtl(written.params);
  return written;
}

/** `(name = value, …)` from its opening parenthesis: the known parameters, notices for the ignored ones. */
function parameterList(tokens: readonly Token[], open: number): { params: StorageParam[]; notices: string[] } {
  const close = skipGroup(tokens, open);
  const params: StorageParam[] = [];
  const notices: string[] = [];
  for (let i = open + 1; i < close - 1; i += 4) {
    const name = tokens[i];
    const equals = tokens[i + 1];
    const value = tokens[i + 2];
    const after = tokens[i + 3];
    if (
      !name ||
      !value ||
      equals?.value !== '=' ||
      (name.kind !== 'ident' && name.kind !== 'qident') ||
      (!isPunct(after, ',') && i + 3 < close - 1)
    )
      throw new SqlError(SQLSTATE.syntax, 'at or near "(": syntax error: expected name = value');
    if (IGNORED.has(name.value)) notices.push(`storage parameter "${name.value}" is ignored`);
    else if (!KNOWN.includes(name.value)) throw new SqlError(SQLSTATE.invalidParameterValue, `invalid storage parameter "${name.value}"`);
    else
      params.push({
        name: name.value,
        value: value.value,
        kind: value.kind === 'string' ? 'string' : value.kind === 'number' ? 'number' : 'word',
      });
  }
  return { params, notices };
}

/** `RESET (name, …)`: the names, each a known parameter. */
function resetNames(tokens: readonly Token[], open: number): string[] {
  const names: string[] = [];
  for (let i = open + 1; i < skipGroup(tokens, open) - 1; i++) {
    const token = tokens[i];
    if (!token || isPunct(token, ',')) continue;
    if (!KNOWN.includes(token.value) && !IGNORED.has(token.value))
      throw new SqlError(SQLSTATE.invalidParameterValue, `invalid storage parameter "${token.value}"`);
    names.push(token.value);
  }
  return names;
}

/** Row-Level TTL needs its expiration: an interval (ttl_expire_after) or an expression. */
function checkTtl(params: readonly StorageParam[]): void {
  const expireAfter = params.find((p) => p.name === 'ttl_expire_after');
  const expression = params.find((p) => p.name === 'ttl_expiration_expression');
  if (params.some((p) => p.name.startsWith('ttl')) && !expireAfter && !expression)
    throw new SqlError(SQLSTATE.invalidParameterValue, '"ttl_expire_after" and/or "ttl_expiration_expression" must be set');
  if (expireAfter && expireAfter.kind !== 'string')
    throw new SqlError(SQLSTATE.invalidParameterValue, 'value of "ttl_expire_after" must be an interval');
}

/** The interval of ttl_expire_after, when the table expires its rows after one. */
export function expireAfter(params: readonly StorageParam[]): string | undefined {
  return params.find((p) => p.name === 'ttl_expire_after')?.value;
}

/** The hidden column's definition in the engine's SQL. */
export function expirationColumnSql(interval: string): string {
  return `${EXPIRATION_COLUMN} timestamptz NOT NULL DEFAULT (current_timestamp + ${quoteLiteral(interval)}::interval)`;
}

/**
 * The parameters as SHOW CREATE TABLE prints them (name and value), in CockroachDB's order: TTL's
 * first with `ttl = 'on'`, intervals normalised as CockroachDB prints them (`'3 days'`, `'00:10:00'`).
 */
export async function displayedStorageParams(cluster: ClusterContext, params: readonly StorageParam[]): Promise<[string, string][]> {
  const shown: [string, string][] = [];
  if (params.some((p) => p.name.startsWith('ttl_'))) shown.push(['ttl', "'on'"]);
  for (const name of KNOWN) {
    const param = params.find((p) => p.name === name);
    if (!param || name === 'ttl') continue;
    if (name === 'ttl_expire_after' || name === 'ttl_row_stats_poll_interval') {
      const normalised = await cluster.engine.query<{ text: string }>('SELECT $1::interval::text AS text', [param.value]);
      shown.push([name, `${quoteLiteral(normalised.rows[0]?.text ?? param.value)}:::INTERVAL`]);
    } else if (param.kind === 'string') shown.push([name, quoteLiteral(param.value)]);
    else shown.push([name, param.value.toLowerCase()]);
  }
  return shown;
}

/** ` WITH (…)` after SHOW CREATE TABLE's closing parenthesis; empty without parameters. */
export function storageParamsClause(shown: readonly [string, string][]): string {
  return shown.length === 0 ? '' : ` WITH (${shown.map(([name, value]) => `${name} = ${value}`).join(', ')})`;
}

/** The hidden expiration column's line in SHOW CREATE TABLE, its DEFAULT and ON UPDATE as CockroachDB prints them. */
export function expirationColumnLine(shown: readonly [string, string][]): string | undefined {
  const interval = shown.find(([name]) => name === 'ttl_expire_after')?.[1];
  if (interval === undefined) return undefined;
  const expiry = `current_timestamp():::TIMESTAMPTZ + ${interval}`;
  return `${EXPIRATION_COLUMN} TIMESTAMPTZ NOT VISIBLE NOT NULL DEFAULT ${expiry} ON UPDATE ${expiry}`;
}

/**
 * `ALTER TABLE t SET (…)` / `RESET (…)` when the statement does only that: the table's parameters
 * after it, and the engine SQL that follows the hidden expiration column (added, its default moved,
 * dropped). Undefined when the statement is not such a command.
 */
export function alterStorageParams(
  tokens: readonly Token[],
  command: { start: number; keyword: string },
  table: TableMeta,
): { params: StorageParam[]; notices: string[]; engineSql: string[] } | undefined {
  const at = tokens.findIndex((t) => t.start === command.start);
  if (!isPunct(tokens[at + 1], '(')) return undefined;
  const before = table.storageParams ?? [];
  let params: StorageParam[];
  let notices: string[] = [];
  if (command.keyword === 'set') {
    const written = parameterList(tokens, at + 1);
    notices = written.notices;
    params = [...before.filter((p) => !written.params.some((w) => w.name === p.name)), ...written.params];
  } else {
    const names = resetNames(tokens, at + 1);
    // RESET (ttl) takes Row-Level TTL away whole.
    params = before.filter((p) => !names.includes(p.name) && !(names.includes('ttl') && p.name.startsWith('ttl')));
  }
  checkTtl(params);
  const relation = `${quoteIdent(table.database)}.${quoteIdent(table.name)}`;
  const was = expireAfter(before);
  const now = expireAfter(params);
  const engineSql: string[] = [];
  if (was === undefined && now !== undefined) engineSql.push(`ALTER TABLE ${relation} ADD COLUMN ${expirationColumnSql(now)}`);
  else if (was !== undefined && now === undefined) engineSql.push(`ALTER TABLE ${relation} DROP COLUMN ${EXPIRATION_COLUMN}`);
  else if (was !== undefined && now !== undefined && was !== now)
    engineSql.push(
      `ALTER TABLE ${relation} ALTER COLUMN ${EXPIRATION_COLUMN} SET DEFAULT (current_timestamp + ${quoteLiteral(now)}::interval)`,
    );
  return { params, notices, engineSql };
}
