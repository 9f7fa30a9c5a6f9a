// Flags PostgreSQL features that CockroachDB does not have, which fail when the schema is
// applied: extensions it does not provide, and statements such as VACUUM or CREATE RULE.
//
//   CREATE EXTENSION hstore;   -- error
//   VACUUM ANALYZE orders;     -- error
import { DOCS, type Rule } from '../rule';
import { atLeast, formatVersion, SINCE } from '../version';

// Extensions CockroachDB accepts in CREATE EXTENSION, doing nothing (their functions and types
// are built in; pkg/sql/create_extension.go), with the first release that accepts each: postgis
// with the statement itself (v20.2), pg_trgm with the trigram functions (v22.2, cockroach#81418),
// uuid-ossp (v22.2, cockroach#80204), vector (v24.2). pgcrypto and fuzzystrmatch were refused as
// "not yet supported" by the statement's first implementation and are accepted by v23.1 at the
// latest; the release in between is not pinned down, so they are flagged only before v22.2, where
// they certainly fail. Every other name fails on every version: postgis_raster, btree_gin,
// btree_gist, citext, hstore… are "not yet supported", the rest "unknown extension".
const ACCEPTED_EXTENSIONS = new Map<string, string>([
  ['postgis', SINCE.createExtension],
  ['pg_trgm', SINCE.pgTrgmExtension],
  ['fuzzystrmatch', SINCE.pgTrgmExtension],
  ['pgcrypto', SINCE.pgTrgmExtension],
  ['uuid-ossp', SINCE.uuidOsspExtension],
  ['vector', SINCE.vectorExtension],
]);

/** What to do instead, before the extension is accepted. */
const INSTEAD: Record<string, string> = {
  pg_trgm: 'The trigram functions, the % operator and trigram indexes arrive in the same release.',
  pgcrypto: 'gen_random_uuid() is built in: if that is what the extension was for, drop the statement.',
  'uuid-ossp': `Its functions are built in from ${SINCE.uuidOsspFunctions}; drop the statement.`,
};

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
    'CREATE EXTENSION (from v20.2) accepts postgis, pg_trgm (from v22.2), fuzzystrmatch and pgcrypto (by v23.1; refused before v22.2), uuid-ossp (from v22.2) and vector (from v24.2) and does nothing, as their functions are built in; ' +
    'other extensions (btree_gin, btree_gist, citext, hstore, postgis_topology, pg_stat_statements…) fail on every version. ' +
    'See the PostgreSQL compatibility page for the differences.',
  docs: `${DOCS}postgresql-compatibility`,
  statements: ['create-extension', 'other'],
  check(context) {
    const statement = context.statement;
    if (statement.type === 'create-extension' && statement.name) {
      const name = statement.name.value.toLowerCase();
      const version = context.cockroachVersion;
      const target = formatVersion(version);
      const since = ACCEPTED_EXTENSIONS.get(name);
      if (!atLeast(version, SINCE.createExtension))
        context.report(
          statement,
          `CockroachDB ${target} has no CREATE EXTENSION statement (it arrives in ${SINCE.createExtension}): the statement is a syntax error.`,
        );
      else if (since === undefined)
        context.report(statement.name, `CockroachDB has no extension "${statement.name.value}": CREATE EXTENSION fails on every version.`);
      else if (!atLeast(version, since))
        context.report(
          statement.name,
          `CREATE EXTENSION "${statement.name.value}" fails on CockroachDB ${target}: it is accepted (and does nothing) from ${since}.` +
            (INSTEAD[name] ? ` ${INSTEAD[name]}` : ''),
        );
      return;
    }
    if (statement.type === 'other') {
      const match = UNSUPPORTED_STATEMENTS.find(([pattern]) => pattern.test(statement.keywords));
      if (match) context.report(statement, `Not supported by CockroachDB: ${match[1]}.`);
    }
  },
};
