// The tables an engine plan reads, as EXPLAIN names them: the engine's columns and indexes (key
// columns in order, unique, primary) with the CockroachDB catalog's names and localities. The
// primary index is `<table>_pkey` in CockroachDB whatever the engine calls its constraint (a
// renamed table keeps the engine's old name); a REGIONAL BY ROW table's indexes lead with its
// region column.
import type { SqlSession } from './context';
import type { ExplainIndex, ExplainTable } from './explain';
import { displayIndexNameSql } from './engineIndexNames';

interface IndexRow {
  /** The index's CockroachDB name, and the engine's (engineIndexNames.ts), which the engine's plans name. */
  name: string;
  engineName: string;
  primary: boolean;
  unique: boolean;
  columns: string[];
}

export async function explainTables(
  session: SqlSession,
  relations: readonly { schema: string | undefined; name: string }[],
): Promise<ExplainTable[]> {
  const tables: ExplainTable[] = [];
  const seen = new Set<string>();
  for (const relation of relations) {
    const schema = relation.schema ?? session.database;
    const key = `${schema}.${relation.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    tables.push(await explainTable(session, schema, relation.name));
  }
  return tables;
}

async function explainTable(session: SqlSession, schema: string, name: string): Promise<ExplainTable> {
  const engine = session.cluster.engine;
  const columns = await engine.query<{ attname: string }>(
    `SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [schema, name],
  );
  const indexes = await engine.query<IndexRow>(
    `SELECT ${displayIndexNameSql('ic.relname')} AS name, ic.relname AS "engineName", i.indisprimary AS primary, i.indisunique AS unique,
            ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2
      ORDER BY i.indisprimary DESC, ic.relname`,
    [schema, name],
  );
  const meta = session.cluster.catalog.table(schema, name);
  const locality = meta?.locality;
  const regionColumn = locality?.kind === 'regional-by-row' ? (locality.as ?? 'crdb_region') : undefined;
  const database = session.cluster.catalog.databases.get(schema);
  const explainIndexes: ExplainIndex[] = indexes.rows.map((row) => ({
    name: row.primary ? `${name}_pkey` : row.name,
    engineName: row.engineName,
    columns: row.columns,
    unique: row.unique,
    primary: row.primary,
  }));
  return {
    schema,
    name,
    columns: columns.rows.map((r) => r.attname),
    indexes: explainIndexes,
    regionColumn,
    regions: regionColumn ? [...(database?.regions ?? [])].sort() : [],
  };
}
