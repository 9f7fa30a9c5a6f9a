// Flags PostgreSQL features that CockroachDB does not have, which fail when the schema is
// applied: extensions it does not provide, and statements such as VACUUM or CREATE RULE.
//
//   CREATE EXTENSION hstore;   -- error
//   VACUUM ANALYZE orders;     -- error
import { DOCS, type Rule } from '../rule';

// Extensions CockroachDB accepts in CREATE EXTENSION (their functions are built in).
const ACCEPTED_EXTENSIONS = new Set([
  'uuid-ossp',
  'pgcrypto',
  'fuzzystrmatch',
  'postgis',
  'postgis_topology',
  'postgis_raster',
  'pg_trgm',
  'btree_gin',
  'btree_gist',
  'citext',
  'vector',
]);

const UNSUPPORTED_STATEMENTS: [RegExp, string][] = [
  [/^vacuum\b/, 'VACUUM: CockroachDB garbage-collects MVCC versions by itself (gc.ttlseconds)'],
  [/^cluster\b/, 'CLUSTER: CockroachDB tables are always stored in primary key order'],
  [/^create tablespace\b/, 'tablespaces: CockroachDB places data with zone configurations and localities'],
  [/^create rule\b/, 'CREATE RULE'],
  [/^alter system\b/, 'ALTER SYSTEM: use SET CLUSTER SETTING'],
  [/^create (unlogged )?foreign\b/, 'foreign tables and servers'],
];

export const postgresOnly: Rule = {
  id: 'postgres-only',
  defaultSeverity: 'error',
  title: 'PostgreSQL-only feature',
  description:
    'CockroachDB speaks the PostgreSQL wire protocol and most of its SQL, but not everything: some extensions and maintenance statements do not exist. ' +
    'See the PostgreSQL compatibility page for the differences.',
  docs: `${DOCS}postgresql-compatibility`,
  check(context) {
    const statement = context.statement;
    if (statement.type === 'create-extension' && statement.name && !ACCEPTED_EXTENSIONS.has(statement.name.value.toLowerCase())) {
      context.report(statement.name, `CockroachDB has no extension "${statement.name.value}": CREATE EXTENSION fails.`);
      return;
    }
    if (statement.type === 'other') {
      const match = UNSUPPORTED_STATEMENTS.find(([pattern]) => pattern.test(statement.keywords));
      if (match) context.report(statement, `Not supported by CockroachDB: ${match[1]}.`);
    }
  },
};
