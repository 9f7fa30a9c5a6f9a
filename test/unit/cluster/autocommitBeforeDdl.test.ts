// autocommit_before_ddl on the simulated cluster, as on CockroachDB from v25.1 (its default): a
// schema change in an explicit transaction commits the transaction first, with a NOTICE, and
// leaves the session outside any transaction; the COMMIT or ROLLBACK that follows only warns.
// SET LOCAL turns it off for one transaction, SET for the session.
import * as assert from 'node:assert/strict';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { exec, fails, one, rows } from './sqlSupport';

const NOTICE = 'auto-committing transaction before processing DDL due to autocommit_before_ddl setting';

describe('simulated cluster: autocommit_before_ddl', function () {
  this.timeout(120_000);
  let simulator: Simulator;
  let session: Session;
  beforeEach(async () => {
    simulator = await Simulator.start({ nodes: 3 });
    session = simulator.openSession();
    await exec(session, 'CREATE TABLE a (id INT8 PRIMARY KEY)');
  });
  afterEach(async () => {
    await simulator.close();
  });

  const count = async (): Promise<string | null | undefined> => (await rows(session, 'SELECT count(*) AS n FROM a'))[0]?.n;
  const tables = async (): Promise<(string | null)[]> => (await rows(session, 'SHOW TABLES')).map((r) => r.table_name ?? null);

  it('is on by default, and a schema change commits the writes before it; what follows runs on its own', async () => {
    assert.deepEqual(await rows(session, 'SHOW autocommit_before_ddl'), [{ autocommit_before_ddl: 'on' }]);
    await exec(session, 'BEGIN', 'INSERT INTO a VALUES (1)');
    const created = await one(session, 'CREATE TABLE b (id INT8 PRIMARY KEY)');
    assert.equal(created.error, undefined);
    assert.equal(created.tag, 'CREATE TABLE');
    assert.deepEqual(
      created.notices.map((n) => [n.severity, n.message]),
      [['NOTICE', NOTICE]],
    );
    await exec(session, 'INSERT INTO a VALUES (2)');
    const rolledBack = await one(session, 'ROLLBACK');
    assert.equal(rolledBack.error, undefined, 'a warning, not an error');
    assert.equal(rolledBack.tag, 'ROLLBACK');
    assert.deepEqual(
      rolledBack.notices.map((n) => [n.severity, n.code, n.message]),
      [['WARNING', '25P01', 'there is no transaction in progress']],
    );
    assert.equal(await count(), '2', 'nothing was left to roll back');
    assert.deepEqual(await tables(), ['a', 'b']);
  });

  it('leaves reads and writes alone: a transaction without a schema change rolls back whole', async () => {
    await exec(session, 'BEGIN', 'INSERT INTO a VALUES (1)', 'SELECT * FROM a', 'ROLLBACK');
    assert.equal(await count(), '0');
  });

  it('SET LOCAL turns it off for the transaction only: the schema change then rolls back with it', async () => {
    await exec(session, 'BEGIN', 'SET LOCAL autocommit_before_ddl = off', 'INSERT INTO a VALUES (1)');
    const created = await one(session, 'CREATE TABLE c (id INT8 PRIMARY KEY)');
    assert.deepEqual(created.notices, []);
    await exec(session, 'ROLLBACK');
    assert.equal(await count(), '0');
    assert.deepEqual(await tables(), ['a']);
    assert.deepEqual(await rows(session, 'SHOW autocommit_before_ddl'), [{ autocommit_before_ddl: 'on' }], 'back after the transaction');
    const outside = await one(session, 'SET LOCAL autocommit_before_ddl = off');
    assert.deepEqual(
      outside.notices.map((n) => `${n.severity}: ${n.message}`),
      ['WARNING: SET LOCAL can only be used in transaction blocks'],
      'no transaction: CockroachDB warns',
    );
    assert.deepEqual(await rows(session, 'SHOW autocommit_before_ddl'), [{ autocommit_before_ddl: 'on' }], 'and it has no effect');
  });

  it('turned off for the session, COMMIT with no transaction is an error again', async () => {
    await exec(
      session,
      'SET autocommit_before_ddl = off',
      'BEGIN',
      'INSERT INTO a VALUES (1)',
      'CREATE TABLE d (id INT8 PRIMARY KEY)',
      'ROLLBACK',
    );
    assert.equal(await count(), '0');
    assert.deepEqual(await tables(), ['a']);
    await fails(session, 'COMMIT', '25P01');
  });

  it('a new session takes its value from sql.defaults.autocommit_before_ddl.enabled', async () => {
    await exec(session, 'SET CLUSTER SETTING sql.defaults.autocommit_before_ddl.enabled = false');
    const later = simulator.openSession();
    assert.deepEqual(await rows(later, 'SHOW autocommit_before_ddl'), [{ autocommit_before_ddl: 'off' }]);
    assert.deepEqual(await rows(session, 'SHOW autocommit_before_ddl'), [{ autocommit_before_ddl: 'on' }], 'an open session keeps its own');
  });

  it('an aborted transaction refuses the schema change instead of committing', async () => {
    await exec(session, 'BEGIN');
    await fails(session, 'SELECT 1/0', '22012');
    await fails(session, 'CREATE TABLE e (id INT8 PRIMARY KEY)', '25P02');
    await exec(session, 'ROLLBACK');
    assert.deepEqual(await tables(), ['a']);
  });
});
