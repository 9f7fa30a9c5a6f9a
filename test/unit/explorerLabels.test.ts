// What the schema explorer writes beside its nodes and the SQL its actions run: a database's
// regions and survival goal, a table's locality badge, a column's type and flags, an index's shape,
// zone configuration lines; qualified names quoted as CockroachDB quotes them; which statements
// refresh the tree.
import * as assert from 'node:assert/strict';
import { describeColumn, describeDatabase, describeIndex, describeTable, errorText, zoneLines } from '../../client/src/explorer/labels';
import { changesCatalog, explainSelect, selectTop, showCreate } from '../../client/src/explorer/statements';

describe('explorer: labels and actions', () => {
  it('describes a multi-region database by its regions, primary region and survival goal', () => {
    const movr = describeDatabase({
      name: 'movr',
      regions: ['europe-west1', 'us-east1', 'us-west1'],
      primaryRegion: 'us-east1',
      survivalGoal: 'region',
      tables: [],
    });
    assert.equal(movr.description, '3 regions, primary us-east1, survive region');
    assert.match(movr.tooltip ?? '', /Survival goal: SURVIVE REGION FAILURE/);
    assert.deepEqual(describeDatabase({ name: 'defaultdb', regions: [], tables: [] }), { label: 'defaultdb' });
  });

  it('puts a table’s locality and row estimate in its badge; other schemas are named', () => {
    assert.equal(
      describeTable({ schema: 'public', name: 'west', type: 'table', locality: 'REGIONAL BY TABLE IN "us-west1"', estimatedRows: 1 })
        .description,
      'REGIONAL BY TABLE IN "us-west1" · ~1 row',
    );
    const view = describeTable({ schema: 'reports', name: 'daily', type: 'view' });
    assert.equal(view.label, 'reports.daily');
    assert.equal(view.description, 'view');
  });

  it('describes columns: type, NOT NULL, hidden, computed', () => {
    assert.equal(describeColumn({ name: 'id', type: 'UUID', nullable: false }).description, 'UUID NOT NULL');
    assert.equal(
      describeColumn({ name: 'crdb_region', type: 'public.crdb_internal_region', nullable: false, hidden: true }).description,
      'public.crdb_internal_region NOT NULL · hidden',
    );
    assert.equal(
      describeColumn({ name: 'twice', type: 'INT8', nullable: true, computed: '(id * 2)' }).description,
      'INT8 · computed: (id * 2)',
    );
  });

  it('describes indexes: primary, unique and partial, storing, hash-sharded', () => {
    assert.equal(
      describeIndex({ name: 'users_pkey', primary: true, unique: true, columns: ['id'], storing: [], hashSharded: false }).description,
      'primary key (id)',
    );
    const partial = describeIndex({
      name: 'u_name',
      primary: false,
      unique: true,
      columns: ['name'],
      storing: ['email'],
      hashSharded: false,
      predicate: '(email IS NOT NULL)',
    });
    assert.equal(partial.description, 'unique (name) STORING (email) WHERE (email IS NOT NULL)');
    assert.match(partial.tooltip ?? '', /unique, storing, partial/);
    assert.equal(
      describeIndex({
        name: 'ts_idx',
        primary: false,
        unique: false,
        columns: ['ts DESC'],
        storing: [],
        hashSharded: true,
        bucketCount: 16,
      }).description,
      '(ts DESC) USING HASH (16 buckets)',
    );
  });

  it('splits a zone configuration into one line per variable, keeping constraint lists whole', () => {
    const raw =
      "ALTER DATABASE movr CONFIGURE ZONE USING\n\trange_min_bytes = 134217728,\n\tnum_replicas = 5,\n\tconstraints = '{+region=europe-west1: 1, +region=us-west1: 1}',\n\tlease_preferences = '[[+region=us-east1]]'";
    assert.deepEqual(zoneLines(raw), [
      'range_min_bytes = 134217728',
      'num_replicas = 5',
      "constraints = '{+region=europe-west1: 1, +region=us-west1: 1}'",
      "lease_preferences = '[[+region=us-east1]]'",
    ]);
  });

  it('writes the actions’ SQL with names quoted as CockroachDB quotes them', () => {
    const ref = { database: 'movr', schema: 'public', name: 'User Rides' };
    assert.equal(selectTop(ref), 'SELECT * FROM movr.public."User Rides" LIMIT 100');
    assert.equal(showCreate({ database: 'my-db', schema: 'public', name: 'rides' }), 'SHOW CREATE TABLE "my-db".public.rides');
    assert.equal(explainSelect({ database: 'movr', schema: 'public', name: 'user' }), 'EXPLAIN SELECT * FROM movr.public."user" LIMIT 100');
  });

  it('refreshes after DDL and USE, not after queries', () => {
    assert.equal(changesCatalog(['SELECT 1', '  create table t (id INT PRIMARY KEY)']), true);
    assert.equal(changesCatalog(['ALTER TABLE t SET LOCALITY GLOBAL']), true);
    assert.equal(changesCatalog(['USE movr']), true);
    assert.equal(changesCatalog(['SELECT * FROM t', 'INSERT INTO t VALUES (1)', 'EXPLAIN CREATE TABLE x (a INT)']), false);
  });

  it('writes an error node’s text with its SQLSTATE', () => {
    assert.equal(
      errorText(Object.assign(new Error('user alice has no privileges on relation rides'), { code: '42501' })),
      'user alice has no privileges on relation rides (SQLSTATE 42501)',
    );
  });
});
