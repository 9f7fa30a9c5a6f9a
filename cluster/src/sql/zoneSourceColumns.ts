// SHOW ZONE CONFIGURATION shows two columns, but as a data source (`SELECT zone_id, … FROM [SHOW
// ZONE CONFIGURATION FOR TABLE t]`) CockroachDB's result also has its hidden ones, those of
// crdb_internal.zones: zone_id, subzone_id, range_name, database_name, table_name, index_name,
// partition_name, the YAML and protobuf forms and full_config_sql. They are derived here from the
// target the SHOW names; the YAML and protobuf forms are not simulated.
import { lex, type Token } from '../../../sql/src/lexer';
import { OID, type Field } from '../wire/messages';
import type { SqlSession } from './context';
import { notSimulated } from './errors';
import type { QueryResult } from './result';
import { isPunct, isWord } from './rewrite';
import type { Row } from './showHelpers';
import { resolveParts } from './tables';

const HIDDEN = ['zone_id', 'subzone_id', 'range_name', 'database_name', 'table_name', 'index_name', 'partition_name', 'full_config_sql'];
const NOT_SIMULATED = ['raw_config_yaml', 'raw_config_protobuf', 'full_config_yaml'];

/** Named ranges' zone IDs (RANGE default is the root, 0). */
const RANGE_IDS = new Map([
  ['default', 0],
  ['meta', 16],
  ['system', 17],
  ['timeseries', 18],
  ['liveness', 22],
]);

/** Whether the outer statement reads one of the hidden columns (so the source must carry them). */
export function readsHiddenZoneColumns(referenced: ReadonlySet<string>): boolean {
  const unsimulated = NOT_SIMULATED.find((c) => referenced.has(c));
  if (unsimulated) throw notSimulated(`the ${unsimulated} column of SHOW ZONE CONFIGURATION`);
  return HIDDEN.some((c) => referenced.has(c));
}

interface TargetParts {
  range?: string;
  database?: string;
  table?: string;
  index?: string;
  partition?: string;
}

/** A qualified name starting at tokens[at]: its parts and the index past it. */
function nameAt(tokens: readonly Token[], at: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let i = at;
  while (tokens[i]?.kind === 'ident' || tokens[i]?.kind === 'qident') {
    parts.push(tokens[i]?.value ?? '');
    i++;
    if (!isPunct(tokens[i], '.')) break;
    i++;
  }
  return { parts, next: i };
}

function targetParts(session: SqlSession, target: string): TargetParts {
  const tokens = lex(target).tokens;
  let i = 1;
  const parts: TargetParts = {};
  if (isWord(tokens[0], 'range')) return { range: tokens[1]?.value ?? 'default' };
  if (isWord(tokens[0], 'database')) return { database: tokens[1]?.value ?? '' };
  if (isWord(tokens[0], 'partition')) {
    parts.partition = tokens[1]?.value ?? '';
    i = 4; // PARTITION p OF TABLE | INDEX
  }
  const name = nameAt(tokens, i);
  const resolved = resolveParts(session, name.parts);
  parts.database = resolved.database;
  parts.table = resolved.name;
  const at = tokens[name.next];
  if (at?.kind === 'op' && at.value === '@') parts.index = tokens[name.next + 1]?.value ?? '';
  return parts;
}

/** The position (1-based) of an index or partition zone among its table's, in the order they were configured. */
function subzoneId(session: SqlSession, parts: TargetParts): string | null {
  if (parts.index === undefined && parts.partition === undefined) return '0';
  const prefix = `${parts.database ?? ''}.${parts.table ?? ''}@`;
  const keys = [...session.cluster.catalog.zones.keys()].filter(
    (k) => (k.startsWith('index:') || k.startsWith('partition:')) && k.includes(prefix),
  );
  const wanted = `${prefix}${parts.index ?? ''}${parts.partition !== undefined ? `#${parts.partition}` : ''}`;
  const position = keys.findIndex((k) => k.endsWith(wanted));
  return position === -1 ? null : String(position + 1);
}

function zoneId(session: SqlSession, parts: TargetParts): string | null {
  const catalog = session.cluster.catalog;
  if (parts.range !== undefined) {
    const id = RANGE_IDS.get(parts.range);
    return id === undefined ? null : String(id);
  }
  if (parts.table !== undefined) {
    const table = catalog.table(parts.database ?? '', parts.table);
    return table ? String(table.id) : null;
  }
  const db = catalog.databases.get(parts.database ?? '');
  return db ? String(db.id) : null;
}

/** The SHOW ZONE CONFIGURATION result with CockroachDB's hidden columns, in crdb_internal.zones' order. */
export function withHiddenZoneColumns(session: SqlSession, result: QueryResult): QueryResult {
  const targetAt = result.fields.findIndex((f) => f.name === 'target');
  const sqlAt = result.fields.findIndex((f) => f.name === 'raw_config_sql');
  if (targetAt === -1 || sqlAt === -1) return result;
  const fields: Field[] = [
    { name: 'zone_id', typeOid: OID.int8 },
    { name: 'subzone_id', typeOid: OID.int8 },
    { name: 'target', typeOid: OID.text },
    { name: 'range_name', typeOid: OID.text },
    { name: 'database_name', typeOid: OID.text },
    { name: 'table_name', typeOid: OID.text },
    { name: 'index_name', typeOid: OID.text },
    { name: 'partition_name', typeOid: OID.text },
    { name: 'raw_config_sql', typeOid: OID.text },
    { name: 'full_config_sql', typeOid: OID.text },
  ];
  const rows = result.rows.map((row): Row => {
    const target = row[targetAt] ?? '';
    const rawSql = row[sqlAt] ?? null;
    const parts = targetParts(session, target);
    return [
      zoneId(session, parts),
      subzoneId(session, parts),
      target,
      parts.range ?? null,
      parts.database ?? null,
      parts.table ?? null,
      parts.index ?? null,
      parts.partition ?? null,
      rawSql,
      rawSql,
    ];
  });
  return { ...result, fields, rows };
}
