// Keeping the past that AS OF SYSTEM TIME reads (see engine/history.ts for the design): row
// triggers on every table the simulator creates, and one schema_log entry per database or table
// created, altered or dropped, written in the statement's own transaction (a rolled-back CREATE
// leaves no trace, as in CockroachDB's descriptors).
import type * as ast from '../../../sql/src/ast';
import { quoteIdent, quoteLiteral } from '../../../sql/src/names';
import { HISTORY_SCHEMA } from '../engine/history';
import type { TableMeta } from './catalog';
import type { ClusterContext, SqlSession } from './context';
import { databaseOf, resolveTable, tableColumns } from './tables';

/** CockroachDB's default gc.ttlseconds (4 hours). */
export const DEFAULT_GC_TTL_SECONDS = 14_400;

interface SchemaEvent {
  database: string;
  name: string | undefined;
  event: 'create' | 'alter' | 'drop';
}

/** Logs every change of `table`'s rows from now on (again after an ALTER: its key may have changed). */
export async function keepRowHistory(cluster: ClusterContext, table: TableMeta): Promise<void> {
  const installed = await cluster.engine.query<{ ok: boolean }>(
    `SELECT to_regproc(${quoteLiteral(`${HISTORY_SCHEMA}.record_row`)}) IS NOT NULL AND to_regclass($1) IS NOT NULL AS ok`,
    [`${quoteIdent(table.database)}.${quoteIdent(table.name)}`],
  );
  // A store prepared before history was kept, or a table the engine does not have: nothing to log.
  if (!installed.rows[0]?.ok) return;
  const { primaryKey } = await tableColumns(cluster, table);
  const relation = `${quoteIdent(table.database)}.${quoteIdent(table.name)}`;
  const keyArgs = primaryKey.map(quoteLiteral).join(', ');
  await cluster.engine.exec(
    [
      `DROP TRIGGER IF EXISTS crdb_studio_row_history ON ${relation}`,
      `DROP TRIGGER IF EXISTS crdb_studio_truncate_history ON ${relation}`,
      `CREATE TRIGGER crdb_studio_row_history AFTER INSERT OR UPDATE OR DELETE ON ${relation} FOR EACH ROW EXECUTE FUNCTION ${HISTORY_SCHEMA}.record_row(${keyArgs})`,
      `CREATE TRIGGER crdb_studio_truncate_history BEFORE TRUNCATE ON ${relation} FOR EACH STATEMENT EXECUTE FUNCTION ${HISTORY_SCHEMA}.record_truncate(${keyArgs})`,
    ].join(';\n'),
  );
}

/**
 * What a statement will change in the schema's history, read before it runs (a DROP's names
 * resolve only then); the returned function records it once the statement succeeded.
 */
export function schemaHistoryOf(session: SqlSession, statement: ast.Statement): (() => Promise<void>) | undefined {
  const catalog = session.cluster.catalog;
  switch (statement.type) {
    case 'create-database': {
      const name = statement.name.value;
      if (catalog.databases.has(name)) return undefined;
      return () => record(session, catalog.databases.has(name) ? [{ database: name, name: undefined, event: 'create' }] : []);
    }
    case 'create-table': {
      const database = databaseOf(session, statement.name);
      const name = statement.name.name.value;
      if (catalog.table(database, name)) return undefined;
      return async () => {
        const table = catalog.table(database, name);
        if (!table) return;
        await record(session, [{ database, name, event: 'create' }]);
        await keepRowHistory(session.cluster, table);
      };
    }
    case 'alter-table': {
      const table = resolveTable(session, statement.name);
      if (!table) return undefined;
      const { database, name } = table;
      return async () => {
        // A rename renames the catalog's table in place.
        const events: SchemaEvent[] = [{ database, name, event: 'alter' }];
        if (table.name !== name) events.push({ database, name: table.name, event: 'create' });
        await record(session, events);
        await keepRowHistory(session.cluster, table);
      };
    }
    case 'other': {
      const drop = statement.drop;
      if (!drop) return undefined;
      if (drop.object === 'database') {
        const names = drop.names.map((n) => n.name.name.value).filter((n) => catalog.databases.has(n));
        return () =>
          record(
            session,
            names.filter((n) => !catalog.databases.has(n)).map((database) => ({ database, name: undefined, event: 'drop' as const })),
          );
      }
      if (drop.object === 'table') {
        const tables = drop.names.map((n) => resolveTable(session, n.name)).filter((t): t is TableMeta => t !== undefined);
        const named = tables.map((t) => ({ database: t.database, name: t.name }));
        return () =>
          record(
            session,
            named.filter((t) => !catalog.table(t.database, t.name)).map((t) => ({ ...t, event: 'drop' as const })),
          );
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

async function record(session: SqlSession, events: readonly SchemaEvent[]): Promise<void> {
  if (events.length === 0) return;
  const engine = session.cluster.engine;
  const kept = await engine.query<{ ok: boolean }>(`SELECT to_regclass('${HISTORY_SCHEMA}.schema_log') IS NOT NULL AS ok`);
  if (!kept.rows[0]?.ok) return;
  for (const e of events)
    await engine.query(`INSERT INTO ${HISTORY_SCHEMA}.schema_log (database, name, event) VALUES ($1, $2, $3)`, [
      e.database,
      e.name ?? null,
      e.event,
    ]);
}

/** Row history older than the longest GC TTL in use can no longer be read: dropped. */
/** When each cluster last pruned its history (per cluster: a process may run several). */
const lastPruned = new WeakMap<ClusterContext, number>();

/** Drops row history past the GC TTL, at most once a minute of writes. */
export async function pruneHistorySometimes(cluster: ClusterContext): Promise<void> {
  const now = Date.now();
  if (now - (lastPruned.get(cluster) ?? 0) < 60_000) return;
  lastPruned.set(cluster, now);
  await pruneHistory(cluster);
}

async function pruneHistory(cluster: ClusterContext): Promise<void> {
  let ttl = DEFAULT_GC_TTL_SECONDS;
  for (const settings of cluster.catalog.zones.values()) {
    const value = Number(settings.get('gc.ttlseconds'));
    if (Number.isFinite(value) && value > ttl) ttl = value;
  }
  await cluster.engine.query(
    `SELECT ${HISTORY_SCHEMA}.prune(now() - make_interval(secs => $1)) WHERE to_regproc('${HISTORY_SCHEMA}.prune') IS NOT NULL`,
    [ttl],
  );
}
