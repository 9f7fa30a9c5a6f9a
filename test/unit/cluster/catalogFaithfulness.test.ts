// What the simulated cluster's catalog shows must be what CockroachDB shows: the shard column of a
// hash-sharded index, CockroachDB's names for unnamed indexes, and a CREATE TABLE that fails
// leaving nothing behind (undone without copying the whole catalog: see Catalog.startAdditions).
// The logic-test files test/logic/hash_sharded_indexes, index_names and information_schema hold
// the statement-level expectations; these check the pieces and the undo.
import * as assert from 'node:assert/strict';
import { shardColumnName, shardExpression } from '../../../cluster/src/sql/shardColumns';
import type { Session } from '../../../cluster/src/sql/session';
import { Simulator } from '../../../cluster/src/simulator';
import { exec, fails, rows } from './sqlSupport';

describe('simulated cluster: catalog faithfulness', function () {
  this.timeout(120_000);
  let simulator: Simulator;
  let session: Session;

  before(async () => {
    simulator = await Simulator.start();
    session = simulator.openSession();
    await exec(session, 'CREATE DATABASE shop', 'USE shop');
  });
  after(async () => {
    await simulator.close();
  });

  it('names a shard column after its sorted key columns and bucket count', () => {
    assert.equal(shardColumnName(['station', 'at'], 16), 'crdb_internal_at_station_shard_16');
    assert.equal(shardExpression(['station', 'at'], 16), 'mod(fnv32(md5(crdb_internal.datums_to_bytes(at, station))), 16:::INT8)');
  });

  it('undoes a failed CREATE TABLE in the catalog: no table, and the name can be used again', async () => {
    const before = simulator.catalog.tablesOf('shop').length;
    await fails(session, 'CREATE TABLE orders (id INT PRIMARY KEY, customer INT REFERENCES customers (id))', '42P01');
    assert.equal(simulator.catalog.table('shop', 'orders'), undefined);
    assert.equal(simulator.catalog.tablesOf('shop').length, before);
    await exec(session, 'CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL)');
    const shown = await rows(session, 'SHOW TABLES');
    assert.deepEqual(
      shown.map((r) => r.table_name),
      ['orders'],
    );
  });

  it('keeps the rest of the catalog when a CREATE TABLE fails', async () => {
    await exec(session, 'CREATE TABLE kept (id INT PRIMARY KEY, v INT, INDEX (v) USING HASH)');
    await fails(session, 'CREATE TABLE kept (id INT PRIMARY KEY)', '42P07');
    const indexes = await rows(session, 'SHOW INDEXES FROM kept');
    assert.deepEqual(
      indexes.filter((r) => r.index_name === 'kept_v_idx').map((r) => [r.column_name, r.implicit]),
      [
        ['crdb_internal_v_shard_16', 't'],
        ['v', 'f'],
        ['id', 't'],
      ],
    );
  });

  it('lists a table in crdb_internal.table_row_statistics under its descriptor ID', async () => {
    const statistics = await rows(session, 'SELECT table_id, table_name FROM crdb_internal.table_row_statistics ORDER BY table_name');
    for (const row of statistics) assert.equal(row.table_id, String(simulator.catalog.table('shop', row.table_name ?? '')?.id));
    assert.deepEqual(
      statistics.map((r) => r.table_name),
      ['kept', 'orders'],
    );
  });
});
