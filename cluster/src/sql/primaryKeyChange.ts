// A change of a table's primary key as CockroachDB's schema changer makes it: ALTER PRIMARY KEY,
// and ADD PRIMARY KEY on a table whose key is the hidden rowid (pkg/sql/schemachanger/scbuild,
// alter_table_alter_primary_key.go and alter_table_add_constraint.go):
//   - every new key column must be NOT NULL (the engine would quietly make it so);
//   - a new key the same as the old one changes nothing;
//   - the hidden rowid key, when nothing else refers to rowid, goes with its column;
//   - any other old key (a rowid one included, when it stays) is kept as a UNIQUE index on its
//     columns (`<table>_<columns>_key`), unless a unique index on exactly those columns is there.
// ADD PRIMARY KEY on a table whose key is not the hidden rowid is the engine's error, which is
// CockroachDB's too (multiple primary keys for table "t" are not allowed), unless a DROP CONSTRAINT
// of the current key comes first in the same ALTER TABLE: the change then keeps no index of the
// old key.
import type * as ast from '../../../sql/src/ast';
import { quoteIdent } from '../../../sql/src/names';
import type { ClusterContext } from './context';
import { SqlError } from './errors';
import { freeIndexName } from './indexNames';
import { engineRelation } from './tables';
import type { TableMeta } from './catalog';
import { displayIndexNameSql } from './engineIndexNames';

/** The command of an ALTER TABLE that changes the primary key, if it has one. */
export type PrimaryKeyCommand = Extract<ast.AlterTableCommand, { kind: 'alter-primary-key' } | { kind: 'add-constraint' }>;

export function primaryKeyCommand(statement: ast.AlterTable): PrimaryKeyCommand | undefined {
  return statement.commands.find(
    (c): c is PrimaryKeyCommand => c.kind === 'alter-primary-key' || (c.kind === 'add-constraint' && c.index?.kind === 'primary'),
  );
}

/** The table's primary key as the engine holds it, and what a change of it needs to know. */
export interface CurrentPrimaryKey {
  /** The engine's name of the key's constraint. */
  constraint: string;
  columns: string[];
  /** The hidden rowid column when the key is CockroachDB's default one (undefined otherwise). */
  defaultRowid: string | undefined;
  /** Whether anything but the key refers to that rowid column (an index, a constraint, a view): it then stays. */
  rowidReferenced: boolean;
  /** The key columns of each unique, non-partial secondary index. */
  uniqueIndexes: string[][];
  nullable: Set<string>;
}

export async function currentPrimaryKey(cluster: ClusterContext, table: TableMeta): Promise<CurrentPrimaryKey | undefined> {
  const relation = engineRelation(table);
  const key = await cluster.engine.query<{ constraint: string; columns: string[]; attnum: number; rowid_default: string | null }>(
    `SELECT ${displayIndexNameSql('c.conname')} AS constraint,
            ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            c.conkey[1] AS attnum,
            (SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d WHERE d.adrelid = c.conrelid AND d.adnum = c.conkey[1]) AS rowid_default
       FROM pg_constraint c WHERE c.conrelid = to_regclass($1) AND c.contype = 'p'`,
    [relation],
  );
  const row = key.rows[0];
  if (!row) return undefined;
  const only = row.columns.length === 1 ? row.columns[0] : undefined;
  const defaultRowid =
    only !== undefined && table.hidden.has(only) && only.startsWith('rowid') && (row.rowid_default ?? '').includes('unique_rowid(')
      ? only
      : undefined;
  const details = await cluster.engine.query<{ nullable: string[]; unique_indexes: string[][] | null; rowid_referenced: boolean }>(
    `SELECT ARRAY(SELECT a.attname FROM pg_attribute a
                   WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped AND NOT a.attnotnull) AS nullable,
            (SELECT json_agg(ARRAY(SELECT a.attname FROM generate_series(0, i.indnkeyatts - 1) k
                                     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k] ORDER BY k))
               FROM pg_index i
              WHERE i.indrelid = to_regclass($1) AND i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL
                AND NOT 0 = ANY (i.indkey::int2[])) AS unique_indexes,
            EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = to_regclass($1) AND NOT i.indisprimary AND $2::int2 = ANY (i.indkey::int2[]))
              OR EXISTS (SELECT 1 FROM pg_constraint c
                          WHERE (c.conrelid = to_regclass($1) AND c.contype NOT IN ('p', 'n') AND $2::int2 = ANY (c.conkey))
                             OR (c.confrelid = to_regclass($1) AND $2::int2 = ANY (c.confkey)))
              OR EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.refobjid = to_regclass($1) AND d.refobjsubid = $2::int2 AND d.classid = 'pg_rewrite'::regclass) AS rowid_referenced`,
    [relation, row.attnum],
  );
  const detail = details.rows[0];
  return {
    constraint: row.constraint,
    columns: row.columns,
    defaultRowid,
    rowidReferenced: detail?.rowid_referenced ?? true,
    uniqueIndexes: detail?.unique_indexes ?? [],
    nullable: new Set(detail?.nullable ?? []),
  };
}

/** What the engine runs for a key change, and what the catalog then records. */
export interface PrimaryKeyChange {
  /** The ALTER TABLE for the engine; undefined when the new key is the old one. */
  sql: string | undefined;
  /** The rowid column dropped with the default key. */
  droppedRowid: string | undefined;
  /** The unique index that keeps the old key's columns unique. */
  oldKeyIndex: string | undefined;
}

/**
 * The engine's statement for changing `table`'s key (`current`) to `command`'s; `tableSql` names
 * the table for the engine. `keepOldKey`: whether the old key's columns stay unique (not after
 * an explicit DROP CONSTRAINT of it).
 */
export async function planPrimaryKeyChange(
  cluster: ClusterContext,
  table: TableMeta,
  tableSql: string,
  current: CurrentPrimaryKey,
  command: PrimaryKeyCommand,
  keepOldKey: boolean,
): Promise<PrimaryKeyChange> {
  const index = command.index;
  if (!index) throw new SqlError('XX000', 'a primary key change without its columns');
  const columns = index.columns.map((c) => {
    if (!c.name) throw new SqlError('42P16', `expressions such as ${c.expr?.text ?? ''} are not allowed in primary index definition`);
    return c.name.value;
  });
  for (const column of columns)
    if (current.nullable.has(column)) throw new SqlError('42P15', `cannot use nullable column "${column}" in primary key`);
  const unchanged = { sql: undefined, droppedRowid: undefined, oldKeyIndex: undefined };
  if (columns.length === current.columns.length && columns.every((c, i) => c === current.columns[i])) return unchanged;
  // ADD CONSTRAINT name PRIMARY KEY names the new key; ALTER PRIMARY KEY keeps the old key's name.
  const name = command.kind === 'add-constraint' && index.name ? index.name.value : current.constraint;
  const parts = [
    `DROP CONSTRAINT ${quoteIdent(current.constraint)}`,
    `ADD CONSTRAINT ${quoteIdent(name)} PRIMARY KEY (${columns.map(quoteIdent).join(', ')})`,
  ];
  const droppedRowid = current.defaultRowid !== undefined && !current.rowidReferenced ? current.defaultRowid : undefined;
  if (droppedRowid) parts.push(`DROP COLUMN ${quoteIdent(droppedRowid)}`);
  let oldKeyIndex: string | undefined;
  const oldKeyIndexed = current.uniqueIndexes.some(
    (u) => u.length === current.columns.length && u.every((c, i) => c === current.columns[i]),
  );
  // A default rowid key that stays (something refers to rowid) is kept unique like any other.
  if (keepOldKey && !droppedRowid && !oldKeyIndexed) {
    oldKeyIndex = await freeIndexName(cluster, table.database, `${table.name}_${current.columns.join('_')}_key`, new Set());
    parts.push(`ADD CONSTRAINT ${quoteIdent(oldKeyIndex)} UNIQUE (${current.columns.map(quoteIdent).join(', ')})`);
  }
  return { sql: `ALTER TABLE ${tableSql} ${parts.join(', ')}`, droppedRowid, oldKeyIndex };
}
