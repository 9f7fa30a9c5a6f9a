// The schema explorer's catalog reader: the same CockroachDB statements against the simulated
// cluster (in-process, over its wire protocol, as against a real cluster) and, on a real
// PostgreSQL, the information_schema fallback that still lists tables and columns.
import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import { Simulator } from '../../../cluster/src/simulator';
import { WireServer } from '../../../cluster/src/wire/server';
import { CatalogReader, type CatalogQuery } from '../../../runner/src/catalog/reader';
import { startPostgres, type PostgresServer } from '../../support/postgres';

function queryOf(client: Client): CatalogQuery {
  return async (sql) => {
    const result = await client.query<(string | null)[]>({ text: sql, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } });
    return { columns: result.fields.map((f) => f.name), rows: result.rows };
  };
}

describe('explorer: catalog of the simulated cluster', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let server: WireServer;
  let client: Client;
  let reader: CatalogReader;
  const users = { database: 'movr', schema: 'public', name: 'users' };

  before(async () => {
    sim = await Simulator.start({ global: true });
    server = await WireServer.start(sim, { port: 0 });
    client = new Client({ host: '127.0.0.1', port: server.port(1), user: 'root', database: 'defaultdb' });
    await client.connect();
    for (const sql of [
      'CREATE DATABASE movr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1" SURVIVE ZONE FAILURE',
      'USE movr',
      'CREATE TABLE users (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), name STRING NOT NULL, email STRING, INDEX (email) STORING (name), UNIQUE INDEX u_name (name) WHERE email IS NOT NULL) LOCALITY REGIONAL BY ROW',
      'CREATE TABLE promo_codes (code STRING PRIMARY KEY) LOCALITY GLOBAL',
      'CREATE TABLE west (id INT PRIMARY KEY, twice INT AS (id * 2) STORED) LOCALITY REGIONAL BY TABLE IN "us-west1"',
      'CREATE INDEX west_twice ON west (twice) USING HASH',
    ])
      await client.query(sql);
    reader = new CatalogReader(queryOf(client));
  });
  after(async () => {
    await client.end();
    await server.close();
    await sim.close();
  });

  it('reads the databases with their regions and survival goal, without system', async () => {
    assert.equal(await reader.dialect(), 'cockroach');
    const databases = await reader.databases();
    assert.deepEqual(
      databases.map((d) => d.name),
      ['defaultdb', 'movr', 'postgres'],
    );
    const movr = databases.find((d) => d.name === 'movr');
    assert.ok(movr);
    assert.equal(movr.primaryRegion, 'us-east1');
    assert.equal(movr.survivalGoal, 'zone');
    assert.deepEqual(movr.regions, ['europe-west1', 'us-east1', 'us-west1']);
    const regions = await reader.regions('movr');
    assert.deepEqual(
      regions.map((r) => [r.name, r.primary]),
      [
        ['us-east1', true],
        ['europe-west1', false],
        ['us-west1', false],
      ],
    );
    assert.deepEqual(regions.find((r) => r.name === 'us-west1')?.zones, ['a', 'b', 'c']);
  });

  it('reads the tables with their localities and row estimates', async () => {
    const tables = await reader.tables('movr');
    assert.deepEqual(
      tables.map((t) => [t.name, t.locality, t.estimatedRows]),
      [
        ['promo_codes', 'GLOBAL', 0],
        ['users', 'REGIONAL BY ROW', 0],
        ['west', 'REGIONAL BY TABLE IN "us-west1"', 0],
      ],
    );
  });

  it('reads columns: types, nullability, the hidden region column, computed columns', async () => {
    const columns = await reader.columns(users);
    assert.deepEqual(
      columns.map((c) => [c.name, c.type, c.nullable, c.hidden === true]),
      [
        ['id', 'UUID', false, false],
        ['name', 'STRING', false, false],
        ['email', 'STRING', true, false],
        ['crdb_region', 'public.crdb_internal_region', false, true],
      ],
    );
    const west = await reader.columns({ database: 'movr', schema: 'public', name: 'west' });
    assert.equal(west.find((c) => c.name === 'twice')?.computed, '(id * 2)');
  });

  it('reads indexes: primary, storing, unique and partial, hash-sharded', async () => {
    const indexes = await reader.indexes(users);
    assert.deepEqual(
      indexes.map((i) => ({
        name: i.name,
        primary: i.primary,
        unique: i.unique,
        columns: i.columns,
        storing: i.storing,
        predicate: i.predicate,
      })),
      [
        { name: 'users_pkey', primary: true, unique: true, columns: ['id'], storing: [], predicate: undefined },
        { name: 'users_email_idx', primary: false, unique: false, columns: ['email'], storing: ['name'], predicate: undefined },
        { name: 'u_name', primary: false, unique: true, columns: ['name'], storing: [], predicate: 'email IS NOT NULL' },
      ],
    );
    const west = await reader.indexes({ database: 'movr', schema: 'public', name: 'west' });
    const sharded = west.find((i) => i.name === 'west_twice');
    assert.equal(sharded?.hashSharded, true);
  });

  it('reads the partitions of a REGIONAL BY ROW table and the zone configurations', async () => {
    const partitions = await reader.partitions(users);
    const primary = partitions.filter((p) => p.index === 'users@users_pkey').map((p) => p.name);
    assert.deepEqual([...primary].sort(), ['europe-west1', 'us-east1', 'us-west1']);
    assert.match(partitions[0]?.zoneConfig ?? '', /voter_constraints/);
    assert.match(await reader.zoneConfiguration({ database: 'movr' }), /^ALTER DATABASE movr CONFIGURE ZONE USING/);
    assert.match(await reader.zoneConfiguration(users), /CONFIGURE ZONE USING/);
    assert.match(await reader.createStatement(users), /LOCALITY REGIONAL BY ROW/);
  });

  it('summarises the catalog for the language server within its column budget', async () => {
    const snapshot = await reader.snapshot('Simulated cluster', { maxColumnTables: 2 });
    assert.equal(snapshot.dialect, 'cockroach');
    assert.equal(snapshot.currentDatabase, 'movr');
    assert.equal(snapshot.truncated, true);
    const movr = snapshot.databases.find((d) => d.name === 'movr');
    assert.deepEqual(
      movr?.tables.map((t) => [t.name, t.columns?.map((c) => c.name)]),
      [
        ['promo_codes', ['code']],
        ['users', ['id', 'name', 'email', 'crdb_region']],
        ['west', undefined],
      ],
    );
  });

  it('reports a refused statement as the server’s error for the one node that asked', async () => {
    await assert.rejects(reader.columns({ database: 'movr', schema: 'public', name: 'nope' }), (error: { code?: string }) => {
      assert.equal(error.code, '42P01');
      return true;
    });
    // The reader still answers afterwards.
    assert.equal((await reader.tables('movr')).length, 3);
  });
});

describe('explorer: catalog of a real PostgreSQL (information_schema fallback)', function () {
  this.timeout(120_000);
  let pg: PostgresServer;
  let client: Client;
  let reader: CatalogReader;

  before(async () => {
    pg = await startPostgres();
    client = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: 'postgres' });
    await client.connect();
    await client.query(
      'CREATE TABLE items (id INT PRIMARY KEY, label TEXT NOT NULL, note TEXT, twice INT GENERATED ALWAYS AS (id * 2) STORED)',
    );
    await client.query('CREATE UNIQUE INDEX items_label ON items (label) WHERE note IS NOT NULL');
    await client.query('CREATE VIEW item_labels AS SELECT label FROM items');
    reader = new CatalogReader(queryOf(client));
  });
  after(async () => {
    await client.end();
    await pg.stop();
  });

  it('lists the connected database, its tables and views, columns and indexes', async () => {
    assert.equal(await reader.dialect(), 'postgres');
    const databases = await reader.databases();
    assert.deepEqual(
      databases.map((d) => [d.name, d.regions]),
      [['postgres', []]],
    );
    const tables = await reader.tables('postgres');
    assert.deepEqual(
      tables.map((t) => [t.schema, t.name, t.type, t.locality]),
      [
        ['public', 'item_labels', 'view', undefined],
        ['public', 'items', 'table', undefined],
      ],
    );
    const ref = { database: 'postgres', schema: 'public', name: 'items' };
    const columns = await reader.columns(ref);
    assert.deepEqual(
      columns.map((c) => [c.name, c.type, c.nullable]),
      [
        ['id', 'integer', false],
        ['label', 'text', false],
        ['note', 'text', true],
        ['twice', 'integer', true],
      ],
    );
    assert.equal(columns.find((c) => c.name === 'twice')?.computed, '(id * 2)');
    const indexes = await reader.indexes(ref);
    assert.deepEqual(
      indexes.map((i) => [i.name, i.primary, i.unique, i.columns, i.predicate]),
      [
        ['items_label', false, true, ['label'], '(note IS NOT NULL)'],
        ['items_pkey', true, true, ['id'], undefined],
      ],
    );
  });

  it('answers the CockroachDB-only parts with the server’s error, for the explorer to show', async () => {
    await assert.rejects(reader.partitions({ database: 'postgres', schema: 'public', name: 'items' }));
  });
});
