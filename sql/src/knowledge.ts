// What the editor says about CockroachDB words: short docs for hover, and the vocabulary for
// completion. Links point at CockroachDB's documentation.
const DOCS = 'https://www.cockroachlabs.com/docs/stable/';

export interface WordDoc {
  summary: string;
  docs: string;
}

const KEYWORDS: Record<string, WordDoc> = {
  locality: {
    summary:
      'Where a multi-region table keeps its voting replicas and leaseholder: `GLOBAL`, `REGIONAL BY TABLE [IN region]` or `REGIONAL BY ROW [AS column]`.',
    docs: `${DOCS}table-localities`,
  },
  regional: {
    summary:
      '`REGIONAL BY TABLE`: the whole table is homed in one region (the primary region unless `IN "region"`). `REGIONAL BY ROW`: each row is homed in the region of its `crdb_region` column.',
    docs: `${DOCS}table-localities`,
  },
  global: {
    summary:
      '`LOCALITY GLOBAL`: consistent, low-latency reads from every region; writes are slower (they wait out a future timestamp). For read-mostly data.',
    docs: `${DOCS}global-tables`,
  },
  survive: {
    summary:
      '`SURVIVE ZONE FAILURE` (default): survives a zone or node. `SURVIVE REGION FAILURE`: survives a whole region (needs 3+ regions; writes add a cross-region round trip).',
    docs: `${DOCS}multiregion-survival-goals`,
  },
  region: {
    summary: "A cloud region from the nodes' `--locality` flags. A multi-region database has a primary region and may add others.",
    docs: `${DOCS}multiregion-overview`,
  },
  regions: {
    summary: 'The regions of a multi-region database (`CREATE DATABASE … PRIMARY REGION "a" REGIONS "b", "c"`).',
    docs: `${DOCS}multiregion-overview`,
  },
  hash: {
    summary:
      '`USING HASH`: a hash-sharded index. Rows are spread over `bucket_count` buckets (default 16) by a virtual shard column, so sequential keys do not pile onto one range.',
    docs: `${DOCS}hash-sharded-indexes`,
  },
  storing: {
    summary:
      '`STORING (cols)`: a covering index also stores these columns, so queries can be answered from the index alone (alias: `COVERING`, `INCLUDE`).',
    docs: `${DOCS}create-index#store-columns`,
  },
  family: {
    summary:
      'A column family: columns stored together in one key-value pair. Separate families for frequently updated columns reduce write contention.',
    docs: `${DOCS}column-families`,
  },
  interleave: {
    summary: '`INTERLEAVE IN PARENT` was removed in v21.2.',
    docs: 'https://www.cockroachlabs.com/docs/v21.1/interleave-in-parent',
  },
  configure: {
    summary:
      '`CONFIGURE ZONE USING …`: replication zone settings (`num_replicas`, `num_voters`, `constraints`, `lease_preferences`, `gc.ttlseconds`, …).',
    docs: `${DOCS}configure-replication-zones`,
  },
  upsert: {
    summary:
      '`UPSERT`: insert, or replace the row with the same primary key. Faster than `INSERT … ON CONFLICT` when every column is written.',
    docs: `${DOCS}upsert`,
  },
  partition: {
    summary: '`PARTITION BY LIST/RANGE (cols)`: split an index by its leading columns, to place each partition with a zone configuration.',
    docs: `${DOCS}partitioning`,
  },
  serial: {
    summary:
      '`SERIAL`: with the default `serial_normalization = rowid` it becomes `INT8 DEFAULT unique_rowid()`, ordered by time — a hotspot as a key. Prefer `UUID DEFAULT gen_random_uuid()`.',
    docs: `${DOCS}serial`,
  },
  string: { summary: '`STRING` (alias `TEXT`, `VARCHAR`): a Unicode string.', docs: `${DOCS}string` },
  bytes: { summary: '`BYTES` (alias `BYTEA`, `BLOB`): a byte string.', docs: `${DOCS}bytes` },
  int: { summary: "`INT` is `INT8` (64-bit) in CockroachDB, unlike PostgreSQL's 32-bit `INT`.", docs: `${DOCS}int` },
  int8: { summary: '`INT8`: a 64-bit integer (`INT`, `INTEGER` and `BIGINT` are aliases by default).', docs: `${DOCS}int` },
  uuid: { summary: '`UUID`: a 128-bit identifier. `DEFAULT gen_random_uuid()` makes a well-distributed primary key.', docs: `${DOCS}uuid` },
  jsonb: { summary: '`JSONB` (alias `JSON`): binary JSON, indexable with inverted indexes.', docs: `${DOCS}jsonb` },
  crdb_internal_region: {
    summary:
      "`crdb_internal_region`: the enum of a multi-region database's regions; the type of `crdb_region` in `REGIONAL BY ROW` tables.",
    docs: `${DOCS}table-localities#regional-by-row-tables`,
  },
  isolation: {
    summary: 'CockroachDB runs `SERIALIZABLE` by default; `READ COMMITTED` from v23.2 (on by default from v24.1).',
    docs: `${DOCS}transactions#isolation-levels`,
  },
  serializable: {
    summary: '`SERIALIZABLE`: the default and strongest isolation; contending transactions may get a retryable `40001` error.',
    docs: `${DOCS}demo-serializable`,
  },
};

const FUNCTIONS: Record<string, WordDoc> = {
  gen_random_uuid: {
    summary: '`gen_random_uuid()`: a random version 4 UUID — the recommended primary key default.',
    docs: `${DOCS}functions-and-operators#id-generation-functions`,
  },
  unique_rowid: {
    summary: '`unique_rowid()`: a unique INT8 built from the timestamp and node ID — roughly ordered, so a hotspot as a leading key.',
    docs: `${DOCS}functions-and-operators#id-generation-functions`,
  },
  now: {
    summary: '`now()`: the transaction timestamp. A key or index led by it is sequential.',
    docs: `${DOCS}functions-and-operators#date-and-time-functions`,
  },
  gateway_region: {
    summary: '`gateway_region()`: the region of the node the client is connected to.',
    docs: `${DOCS}functions-and-operators#multi-region-functions`,
  },
  default_to_database_primary_region: {
    summary: '`default_to_database_primary_region(region)`: the region if it is a database region, else the primary region.',
    docs: `${DOCS}functions-and-operators#multi-region-functions`,
  },
  rehome_row: {
    summary: '`rehome_row()`: the gateway region, for `ON UPDATE` re-homing of `REGIONAL BY ROW` rows.',
    docs: `${DOCS}functions-and-operators#multi-region-functions`,
  },
  follower_read_timestamp: {
    summary:
      '`follower_read_timestamp()`: a timestamp old enough for any replica to serve the read (`AS OF SYSTEM TIME follower_read_timestamp()`).',
    docs: `${DOCS}follower-reads`,
  },
  with_max_staleness: { summary: '`with_max_staleness(interval)`: bounded-staleness follower read.', docs: `${DOCS}follower-reads` },
  with_min_timestamp: { summary: '`with_min_timestamp(ts)`: bounded-staleness follower read.', docs: `${DOCS}follower-reads` },
  cluster_logical_timestamp: {
    summary: "`cluster_logical_timestamp()`: the transaction's HLC timestamp.",
    docs: `${DOCS}functions-and-operators`,
  },
  nextval: {
    summary: '`nextval(seq)`: the next value of a sequence. A key led by it is sequential and the sequence itself is a contention point.',
    docs: `${DOCS}create-sequence`,
  },
};

// Maps, so that a word such as `constructor` finds nothing rather than Object's prototype.
export const KEYWORD_DOCS: ReadonlyMap<string, WordDoc> = new Map(Object.entries(KEYWORDS));
export const FUNCTION_DOCS: ReadonlyMap<string, WordDoc> = new Map(Object.entries(FUNCTIONS));

export const TYPES = [
  'UUID',
  'STRING',
  'TEXT',
  'VARCHAR',
  'CHAR',
  'BYTES',
  'BOOL',
  'INT',
  'INT2',
  'INT4',
  'INT8',
  'FLOAT',
  'FLOAT4',
  'FLOAT8',
  'DECIMAL',
  'DATE',
  'TIME',
  'TIMETZ',
  'TIMESTAMP',
  'TIMESTAMPTZ',
  'INTERVAL',
  'JSONB',
  'INET',
  'BIT',
  'VARBIT',
  'GEOMETRY',
  'GEOGRAPHY',
  'VECTOR',
  'crdb_internal_region',
];

export const STATEMENT_KEYWORDS = [
  'CREATE TABLE',
  'CREATE INDEX',
  'CREATE DATABASE',
  'CREATE SEQUENCE',
  'CREATE USER',
  'ALTER TABLE',
  'ALTER DATABASE',
  'ALTER INDEX',
  'DROP TABLE',
  'SELECT',
  'INSERT INTO',
  'UPSERT INTO',
  'UPDATE',
  'DELETE FROM',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT cockroach_restart',
  'SHOW RANGES FROM TABLE',
  'SHOW REGIONS',
  'SHOW ZONE CONFIGURATIONS',
  'SHOW CREATE TABLE',
  'SET CLUSTER SETTING',
  'USE',
];

export const COLUMN_KEYWORDS = [
  'PRIMARY KEY',
  'NOT NULL',
  'NULL',
  'UNIQUE',
  'DEFAULT',
  'REFERENCES',
  'CHECK',
  'NOT VISIBLE',
  'AS',
  'FAMILY',
  'STORED',
  'VIRTUAL',
];

export const TABLE_CLAUSES = [
  'LOCALITY GLOBAL',
  'LOCALITY REGIONAL BY ROW',
  'LOCALITY REGIONAL BY TABLE IN PRIMARY REGION',
  'LOCALITY REGIONAL BY TABLE IN',
  'PARTITION BY LIST',
  'PARTITION BY RANGE',
];

export const ZONE_VARIABLES = [
  'num_replicas',
  'num_voters',
  'constraints',
  'voter_constraints',
  'lease_preferences',
  'gc.ttlseconds',
  'range_min_bytes',
  'range_max_bytes',
  'global_reads',
];
