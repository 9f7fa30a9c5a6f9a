// Flags PostgreSQL features that CockroachDB does not have, which fail when the schema is
// applied: extensions it does not provide, and statements such as VACUUM or CREATE RULE.
//
//   CREATE EXTENSION hstore;   -- error
//   VACUUM ANALYZE orders;     -- error
import { DOCS, type Rule } from '../rule';
import { atLeast, formatVersion, SINCE } from '../version';

// Extensions CockroachDB accepts in CREATE EXTENSION, doing nothing (their functions and types
// are built in), with the first version that accepts each where it is later than v21.1. Every
// other name fails: postgis_raster, btree_gin, citext, hstore… are "not yet supported", the rest
// "unknown extension".
const ACCEPTED_EXTENSIONS = new Map<string, string | undefined>([
  ['postgis', undefined],
  ['pg_trgm', undefined],
  ['fuzzystrmatch', undefined],
  ['pgcrypto', undefined],
  ['uuid-ossp', SINCE.uuidOsspExtension],
  ['vector', SINCE.vectorExtension],
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
    'CREATE EXTENSION accepts postgis, pg_trgm, fuzzystrmatch, pgcrypto, uuid-ossp (from v22.2) and vector (from v24.2) and does nothing, as their functions are built in; other extensions fail. ' +
    'See the PostgreSQL compatibility page for the differences.',
  docs: `${DOCS}postgresql-compatibility`,
  check(context) {
    const statement = context.statement;
    if (statement.type === 'create-extension' && statement.name) {
      const name = statement.name.value.toLowerCase();
      const target = formatVersion(context.cockroachVersion);
      if (!ACCEPTED_EXTENSIONS.has(name))
        context.report(statement.name, `CockroachDB has no extension "${statement.name.value}": CREATE EXTENSION fails.`);
      else {
        const since = ACCEPTED_EXTENSIONS.get(name);
        if (since && !atLeast(context.cockroachVersion, since))
          context.report(
            statement.name,
            `CREATE EXTENSION "${statement.name.value}" fails on CockroachDB ${target}: it is accepted (and does nothing) from ${since}.` +
              (name === 'uuid-ossp' ? ` Its functions are built in from ${SINCE.uuidOsspFunctions}; drop the statement.` : ''),
          );
      }
      return;
    }
    if (statement.type === 'other') {
      const match = UNSUPPORTED_STATEMENTS.find(([pattern]) => pattern.test(statement.keywords));
      if (match) context.report(statement, `Not supported by CockroachDB: ${match[1]}.`);
    }
  },
};
