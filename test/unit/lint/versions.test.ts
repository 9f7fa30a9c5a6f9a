// Version-dependent rules, checked per target version: what a statement does on CockroachDB
// vX.Y decides whether it is flagged and what the message names (settings that exist in that
// version, the release where the behaviour changes).
import * as assert from 'node:assert/strict';
import { documentStatements } from '../../../server/src/analysis/statements';
import { defaultConfig } from '../../../server/src/lint/config';
import { lintFile, type LintFinding } from '../../../server/src/lint/engine';
import {
  defaultClusterIsolation,
  isolationSettings,
  parseVersion,
  upgradeIsolation,
  type ClusterIsolation,
} from '../../../server/src/lint/version';

function findings(text: string, version: string, rule: string): LintFinding[] {
  return lintFile({ uri: 'file:///versions.sql', text, statements: documentStatements(text) }, [], {
    ...defaultConfig(),
    cockroachVersion: version,
  }).filter((f) => f.rule === rule);
}

function messages(text: string, version: string, rule: string): string[] {
  return findings(text, version, rule).map((f) => f.message);
}

const all: ClusterIsolation = { readCommittedEnabled: true, repeatableReadEnabled: true, licensed: true };

describe('version facts', () => {
  describe('isolation upgrades (UpgradeToEnabledLevel)', () => {
    it('before v23.2 every level runs SERIALIZABLE, whatever is enabled', () => {
      for (const level of ['read uncommitted', 'read committed', 'repeatable read', 'snapshot'] as const)
        assert.equal(upgradeIsolation(level, parseVersion('v23.1'), all), 'serializable', level);
    });

    it('READ UNCOMMITTED asks for READ COMMITTED, then falls back level by level', () => {
      const v = parseVersion('v25.2');
      assert.equal(upgradeIsolation('read uncommitted', v, all), 'read committed');
      assert.equal(upgradeIsolation('read uncommitted', v, { ...all, readCommittedEnabled: false }), 'repeatable read');
      assert.equal(
        upgradeIsolation('read uncommitted', v, { ...all, readCommittedEnabled: false, repeatableReadEnabled: false }),
        'serializable',
      );
    });

    it('from v24.1 a cluster without a licence runs weak levels as SERIALIZABLE; v23.2 needed none', () => {
      const unlicensed = { ...all, licensed: false };
      assert.equal(upgradeIsolation('read committed', parseVersion('v24.1'), unlicensed), 'serializable');
      assert.equal(upgradeIsolation('repeatable read', parseVersion('v25.2'), unlicensed), 'serializable');
      assert.equal(upgradeIsolation('read committed', parseVersion('v23.2'), unlicensed), 'read committed');
    });

    it('READ COMMITTED is off by default in v23.2 and on from v24.1; REPEATABLE READ is off by default', () => {
      assert.equal(
        upgradeIsolation('read committed', parseVersion('v23.2'), defaultClusterIsolation(parseVersion('v23.2'))),
        'serializable',
      );
      assert.equal(
        upgradeIsolation('read committed', parseVersion('v24.1'), defaultClusterIsolation(parseVersion('v24.1'))),
        'read committed',
      );
      assert.equal(upgradeIsolation('snapshot', parseVersion('v25.2'), defaultClusterIsolation(parseVersion('v25.2'))), 'serializable');
    });

    it("REPEATABLE READ's setting is sql.txn.snapshot_isolation.enabled until v24.3 renames it", () => {
      assert.equal(isolationSettings(parseVersion('v24.2')).repeatableRead?.setting, 'sql.txn.snapshot_isolation.enabled');
      assert.equal(isolationSettings(parseVersion('v24.3')).repeatableRead?.setting, 'sql.txn.repeatable_read_isolation.enabled');
      assert.equal(isolationSettings(parseVersion('v23.1')).repeatableRead, undefined);
    });
  });

  describe('isolation-level', () => {
    const readCommitted = 'BEGIN ISOLATION LEVEL READ COMMITTED;\nCOMMIT;';
    const repeatableRead = 'BEGIN ISOLATION LEVEL REPEATABLE READ;\nCOMMIT;';
    const readUncommitted = 'SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED;';

    it('READ COMMITTED: SERIALIZABLE before v23.2, a preview off by default in v23.2, fine from v24.1', () => {
      assert.match(
        messages(readCommitted, 'v23.1', 'isolation-level')[0] ?? '',
        /READ COMMITTED does not exist before v23\.2: on CockroachDB v23\.1 the transaction runs SERIALIZABLE/,
      );
      const preview = messages(readCommitted, 'v23.2', 'isolation-level')[0] ?? '';
      assert.match(preview, /preview in CockroachDB v23\.2/);
      assert.match(preview, /sql\.txn\.read_committed_isolation\.enabled is on \(off by default in v23\.2\)/);
      assert.match(preview, /sql\.txn\.snapshot_isolation\.enabled/);
      assert.doesNotMatch(preview, /licence/, 'v23.2 needs no licence');
      for (const version of ['v24.1', 'v24.3', 'v25.2', 'v25.4'])
        assert.deepEqual(messages(readCommitted, version, 'isolation-level'), [], version);
    });

    it('REPEATABLE READ names the setting of the target version, and the licence from v24.1', () => {
      assert.match(messages(repeatableRead, 'v23.1', 'isolation-level')[0] ?? '', /SERIALIZABLE on CockroachDB v23\.1/);
      const v241 = messages(repeatableRead, 'v24.1', 'isolation-level')[0] ?? '';
      assert.match(v241, /hidden cluster setting sql\.txn\.snapshot_isolation\.enabled is on/);
      assert.match(v241, /licence/);
      assert.match(v241, /public as sql\.txn\.repeatable_read_isolation\.enabled from v24\.3/);
      const v252 = messages(repeatableRead, 'v25.2', 'isolation-level')[0] ?? '';
      assert.match(
        v252,
        /the cluster setting sql\.txn\.repeatable_read_isolation\.enabled is on \(off by default\) and the cluster has a licence/,
      );
      assert.doesNotMatch(v252, /snapshot_isolation/);
    });

    it('READ UNCOMMITTED names the whole chain of the target version', () => {
      const v252 = messages(readUncommitted, 'v25.2', 'isolation-level')[0] ?? '';
      assert.match(
        v252,
        /to READ COMMITTED when sql\.txn\.read_committed_isolation\.enabled is on \(on by default\) and the cluster has a licence/,
      );
      assert.match(v252, /to REPEATABLE READ when the cluster setting sql\.txn\.repeatable_read_isolation\.enabled is on/);
      assert.match(v252, /else to SERIALIZABLE/);
      assert.match(messages(readUncommitted, 'v22.2', 'isolation-level')[0] ?? '', /runs as SERIALIZABLE on CockroachDB v22\.2/);
    });

    it('SERIALIZABLE is never flagged', () => {
      for (const version of ['v21.1', 'v23.2', 'v25.2'])
        assert.deepEqual(messages('BEGIN ISOLATION LEVEL SERIALIZABLE;\nCOMMIT;', version, 'isolation-level'), []);
    });
  });

  describe('interleave-removed', () => {
    const table = 'CREATE TABLE p (id INT PRIMARY KEY);\nCREATE TABLE c (p INT, id INT, PRIMARY KEY (p, id)) INTERLEAVE IN PARENT p (p);';
    it('says what the target version does with the clause', () => {
      assert.match(messages(table, 'v20.2', 'interleave-removed')[0] ?? '', /deprecated since v20\.2/);
      assert.match(
        messages(table, 'v21.1', 'interleave-removed')[0] ?? '',
        /fails on CockroachDB v21\.1 unless .*sql\.defaults\.interleaved_tables\.enabled/,
      );
      assert.match(
        messages(table, 'v21.2', 'interleave-removed')[0] ?? '',
        /ignored on CockroachDB v21\.2 \(with a notice\).*syntax error from v22\.1/,
      );
      assert.match(messages(table, 'v22.1', 'interleave-removed')[0] ?? '', /syntax error on CockroachDB v22\.1/);
      assert.match(messages(table, 'v25.2', 'interleave-removed')[0] ?? '', /syntax error on CockroachDB v25\.2/);
    });
  });

  describe('uuid-ossp', () => {
    const extension = 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";';
    it('CREATE EXTENSION "uuid-ossp" fails before v22.2 and is a no-op from then on', () => {
      assert.match(
        messages(extension, 'v22.1', 'postgres-only')[0] ?? '',
        /fails on CockroachDB v22\.1: it is accepted \(and does nothing\) from v22\.2/,
      );
      assert.match(messages('CREATE EXTENSION "uuid-ossp";', 'v21.2', 'postgres-only')[0] ?? '', /fails on CockroachDB v21\.2/);
      for (const version of ['v22.2', 'v23.1', 'v25.2']) assert.deepEqual(messages(extension, version, 'postgres-only'), [], version);
    });

    it('vector is accepted from v24.2; extensions CockroachDB refuses are flagged on every version', () => {
      assert.equal(messages('CREATE EXTENSION vector;', 'v24.1', 'postgres-only').length, 1);
      assert.deepEqual(messages('CREATE EXTENSION vector;', 'v24.2', 'postgres-only'), []);
      for (const name of ['citext', 'btree_gin', 'postgis_topology', 'hstore'])
        assert.equal(messages(`CREATE EXTENSION ${name};`, 'v25.2', 'postgres-only').length, 1, name);
    });

    it('each accepted extension is flagged only on the versions that refuse it, and never after', () => {
      const accepted: [string, string, string][] = [
        ['postgis', 'v20.2', 'v20.1'],
        ['pg_trgm', 'v22.2', 'v22.1'],
        ['"uuid-ossp"', 'v22.2', 'v22.1'],
        ['pgcrypto', 'v22.2', 'v22.1'],
        ['fuzzystrmatch', 'v22.2', 'v22.1'],
        ['vector', 'v24.2', 'v24.1'],
      ];
      for (const [name, since, before] of accepted) {
        for (const version of [since, 'v24.2', 'v25.2'])
          assert.deepEqual(messages(`CREATE EXTENSION IF NOT EXISTS ${name};`, version, 'postgres-only'), [], `${name} on ${version}`);
        assert.equal(messages(`CREATE EXTENSION IF NOT EXISTS ${name};`, before, 'postgres-only').length, 1, `${name} on ${before}`);
      }
      assert.match(
        messages('CREATE EXTENSION pg_trgm;', 'v22.1', 'postgres-only')[0] ?? '',
        /accepted \(and does nothing\) from v22\.2\. The trigram functions/,
      );
      assert.match(
        messages('CREATE EXTENSION postgis;', 'v20.1', 'postgres-only')[0] ?? '',
        /v20\.1 has no CREATE EXTENSION statement \(it arrives in v20\.2\)/,
      );
    });

    it('extensions CockroachDB never accepted are flagged on every version, old and new', () => {
      for (const name of ['btree_gin', 'btree_gist', 'citext', 'hstore', 'pg_stat_statements', 'postgis_topology', 'no_such_thing'])
        for (const version of ['v21.2', 'v23.1', 'v25.2'])
          assert.match(
            messages(`CREATE EXTENSION ${name};`, version, 'postgres-only')[0] ?? '',
            /CREATE EXTENSION fails on every version/,
            `${name} on ${version}`,
          );
    });

    it('uuid_generate_v4() is advice from v21.1 and a failing call before', () => {
      const table = 'CREATE TABLE t (id UUID PRIMARY KEY DEFAULT uuid_generate_v4());';
      assert.match(messages(table, 'v25.2', 'uuid-ossp-function')[0] ?? '', /built into CockroachDB since v21\.1/);
      assert.match(messages(table, 'v21.1', 'uuid-ossp-function')[0] ?? '', /built into CockroachDB since v21\.1/);
      assert.match(messages(table, 'v20.2', 'uuid-ossp-function')[0] ?? '', /does not exist on CockroachDB v20\.2.*the statement fails/);
    });
  });

  describe('alter-column-type', () => {
    const change = 'CREATE TABLE t (id INT8 PRIMARY KEY, n INT8);\nALTER TABLE t ALTER COLUMN n TYPE STRING;';
    it('is a preview behind enable_experimental_alter_column_type_general before v25.1', () => {
      for (const version of ['v21.1', 'v23.2', 'v24.3']) {
        const message = messages(change, version, 'alter-column-type')[0] ?? '';
        assert.match(
          message,
          new RegExp(
            `On CockroachDB ${version.replace('.', '\\.')} this is a preview: it fails unless the session first runs SET enable_experimental_alter_column_type_general = true`,
          ),
        );
      }
      for (const version of ['v25.1', 'v25.2', 'v25.4']) {
        const message = messages(change, version, 'alter-column-type')[0] ?? '';
        assert.match(message, /Changing n from INT8 to STRING rewrites t/, version);
        assert.doesNotMatch(message, /enable_experimental/, version);
      }
    });

    it('a change within a family is not flagged on any version', () => {
      const widen =
        'CREATE TABLE t (id INT8 PRIMARY KEY, s VARCHAR(10), at TIMESTAMP);\nALTER TABLE t ALTER COLUMN s TYPE VARCHAR(20);\nALTER TABLE t ALTER COLUMN at TYPE TIMESTAMPTZ;';
      for (const version of ['v23.2', 'v25.2']) assert.deepEqual(messages(widen, version, 'alter-column-type'), []);
    });

    it('widening a DECIMAL, a length or a time precision changes only metadata, on every version', () => {
      const widen = [
        'CREATE TABLE t (id INT8 PRIMARY KEY, d DECIMAL(10,2), s STRING(10), at TIMESTAMP(3), t TIME(2), b BIT(4));',
        'ALTER TABLE t ALTER COLUMN d TYPE DECIMAL(12,2);',
        'ALTER TABLE t ALTER COLUMN d TYPE DECIMAL(14, 4);',
        'ALTER TABLE t ALTER COLUMN d TYPE DECIMAL;',
        'ALTER TABLE t ALTER COLUMN s TYPE STRING(20);',
        'ALTER TABLE t ALTER COLUMN s TYPE STRING;',
        'ALTER TABLE t ALTER COLUMN at TYPE TIMESTAMP(6);',
        'ALTER TABLE t ALTER COLUMN at TYPE TIMESTAMPTZ;',
        'ALTER TABLE t ALTER COLUMN t TYPE TIME;',
        'ALTER TABLE t ALTER COLUMN b TYPE VARBIT;',
      ].join('\n');
      for (const version of ['v21.1', 'v24.2', 'v25.2']) assert.deepEqual(messages(widen, version, 'alter-column-type'), [], version);
    });

    it('lowering a time precision rewrites the column on every version (each value is rounded)', () => {
      const lower =
        'CREATE TABLE t (id INT8 PRIMARY KEY, at TIMESTAMPTZ, t TIME(6));\nALTER TABLE t ALTER COLUMN at TYPE TIMESTAMPTZ(3);\nALTER TABLE t ALTER COLUMN t TYPE TIME(0);';
      for (const version of ['v23.2', 'v25.2']) {
        const found = messages(lower, version, 'alter-column-type');
        assert.equal(found.length, 2, version);
        assert.match(found[0] ?? '', /Changing at from TIMESTAMPTZ to TIMESTAMPTZ\(3\) rewrites t/);
        assert.match(found[1] ?? '', /Changing t from TIME\(6\) to TIME\(0\) rewrites t/);
      }
    });

    it('narrowing is checked in place from v24.3, and rewritten by the legacy schema changer before', () => {
      const narrow = [
        'CREATE TABLE t (id INT8 PRIMARY KEY, d DECIMAL(12,2), s STRING, n INT8, c VARCHAR(20));',
        'ALTER TABLE t ALTER COLUMN d TYPE DECIMAL(10,2);',
        'ALTER TABLE t ALTER COLUMN s TYPE VARCHAR(20);',
        'ALTER TABLE t ALTER COLUMN n TYPE INT4;',
        'ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(10);',
      ].join('\n');
      for (const version of ['v24.3', 'v25.2']) assert.deepEqual(messages(narrow, version, 'alter-column-type'), [], version);
      const before = messages(narrow, 'v24.2', 'alter-column-type');
      assert.equal(before.length, 4);
      assert.match(
        before[0] ?? '',
        /Changing d from DECIMAL\(12,2\) to DECIMAL\(10,2\) rewrites t on CockroachDB v24\.2\. The stored values would only need checking, but before v24\.3/,
      );
      assert.match(before[0] ?? '', /SET enable_experimental_alter_column_type_general = true/);
    });

    it('a column retyped earlier is compared with its new type', () => {
      const twice =
        'CREATE TABLE t (id INT8 PRIMARY KEY, v STRING);\nALTER TABLE t ALTER COLUMN v TYPE VARCHAR(10);\nALTER TABLE t ALTER COLUMN v TYPE VARCHAR(40);';
      assert.deepEqual(messages(twice, 'v25.2', 'alter-column-type'), []);
      const back =
        'CREATE TABLE t (id INT8 PRIMARY KEY, at TIMESTAMP);\nALTER TABLE t ALTER COLUMN at TYPE TIMESTAMP(6);\nALTER TABLE t ALTER COLUMN at TYPE TIMESTAMP(2);';
      assert.match(messages(back, 'v25.2', 'alter-column-type')[0] ?? '', /from TIMESTAMP\(6\) to TIMESTAMP\(2\)/);
    });
  });

  describe('schema changes in an explicit transaction (autocommit_before_ddl)', () => {
    const table = 'CREATE TABLE t (id INT8 PRIMARY KEY, v STRING);\n';
    const mixed = `${table}BEGIN;\nINSERT INTO t VALUES (1, 'a');\nALTER TABLE t ADD COLUMN w STRING;\nCOMMIT;`;
    const created = 'BEGIN;\nCREATE TABLE u (id INT8 PRIMARY KEY);\nINSERT INTO u VALUES (1);\nCOMMIT;';
    const rule = 'schema-change-in-transaction';

    it('from v25.1 the transaction is committed before its first schema change: any schema change beside another statement splits it', () => {
      for (const version of ['v25.1', 'v25.2']) {
        assert.match(
          messages(mixed, version, rule)[0] ?? '',
          new RegExp(`not atomic on CockroachDB ${version}: autocommit_before_ddl \\(on by default from v25\\.1\\)`),
        );
        assert.match(messages(created, version, rule)[0] ?? '', /first schema change \(CREATE TABLE u/, version);
      }
    });

    it('before v25.1 schema changes run as jobs after the commit: XXA00 for a change to an existing table, a created table is atomic', () => {
      assert.match(messages(mixed, 'v24.3', rule)[0] ?? '', /COMMIT returns XXA00/);
      assert.deepEqual(messages(created, 'v24.3', rule), []);
    });

    it("the file's own SET of the variable decides, whatever the version's default", () => {
      assert.match(messages(`SET autocommit_before_ddl = off;\n${mixed}`, 'v25.2', rule)[0] ?? '', /COMMIT returns XXA00/);
      assert.deepEqual(messages(`SET autocommit_before_ddl = 'off';\n${created}`, 'v25.2', rule), []);
      assert.match(messages(`SET autocommit_before_ddl = on;\n${created}`, 'v24.3', rule)[0] ?? '', /not atomic on CockroachDB v24\.3/);
    });
  });
});
