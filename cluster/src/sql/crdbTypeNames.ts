// Type names as the engine (PostgreSQL's format_type) prints them, in CockroachDB's spelling: what
// SHOW COLUMNS, SHOW CREATE TABLE and a CHECK constraint's constants show.

/** PostgreSQL type names back to CockroachDB's spelling. */
export function crdbType(pgType: string): string {
  const t = pgType.toLowerCase();
  const simple: Record<string, string> = {
    text: 'STRING',
    bigint: 'INT8',
    integer: 'INT4',
    smallint: 'INT2',
    bytea: 'BYTES',
    'double precision': 'FLOAT8',
    real: 'FLOAT4',
    jsonb: 'JSONB',
    boolean: 'BOOL',
    uuid: 'UUID',
    date: 'DATE',
    inet: 'INET',
    interval: 'INTERVAL',
    'timestamp with time zone': 'TIMESTAMPTZ',
    'timestamp without time zone': 'TIMESTAMP',
    'time without time zone': 'TIME',
    crdb_internal_region: 'public.crdb_internal_region',
  };
  if (simple[t]) return simple[t];
  if (t.endsWith('.crdb_internal_region')) return 'public.crdb_internal_region';
  const m = /^(numeric|character varying|character)\((.*)\)$/.exec(t);
  if (m) return `${m[1] === 'numeric' ? 'DECIMAL' : m[1] === 'character varying' ? 'VARCHAR' : 'CHAR'}(${m[2] ?? ''})`;
  if (t === 'numeric') return 'DECIMAL';
  if (t === 'character varying') return 'VARCHAR';
  if (t.endsWith('[]')) return `${crdbType(t.slice(0, -2))}[]`;
  return pgType.toUpperCase();
}
