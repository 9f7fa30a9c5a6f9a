// The topology adapter against the simulated cluster over its wire protocol (as against a real
// one), against recorded CockroachDB-shaped rows (a non-admin user, an older version), and with a
// lost connection.
import * as assert from 'node:assert/strict';
import { Client } from 'pg';
import { Simulator } from '../../../cluster/src/simulator';
import { WireServer } from '../../../cluster/src/wire/server';
import { readTopology, rowCountKey, type QueryFn, type QueryResult } from '../../../runner/src/topology';
import { countPartitionRows } from '../../../runner/src/topology/partitionRows';
import type { TopologyModel } from '../../../protocol/src/topology';

function queryFnOf(client: Client): QueryFn {
  return async (sql) => {
    const result = await client.query<(string | null)[]>({
      text: sql,
      rowMode: 'array',
      types: { getTypeParser: () => (v: string) => v },
    });
    return { columns: result.fields.map((f) => f.name), rows: result.rows };
  };
}

function sqlError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

type Answer = QueryResult | Error;

const VERSION = 'SELECT version() AS version';
const GATEWAY = 'SELECT crdb_internal.node_id() AS node_id';
const ACTIVITY = 'SELECT node_id, activity::STRING AS activity FROM crdb_internal.kv_node_status';

/** What every recorded server answers unless a test says otherwise: CockroachDB, gateway n1, no node status for a non-admin. */
const SERVER_ANSWERS: Record<string, Answer> = {
  [VERSION]: {
    columns: ['version'],
    rows: [['CockroachDB CCL v25.2.0 (x86_64-pc-linux-gnu, built 2025/05/01 00:00:00, go1.23.7 X:nocoverageredesign)']],
  },
  [GATEWAY]: { columns: ['node_id'], rows: [['1']] },
  [ACTIVITY]: sqlError('42501', 'user alice does not have VIEWCLUSTERMETADATA system privilege'),
};

/** A QueryFn answering from fixtures; an unexpected statement fails like a lost connection would. */
function fixtureQuery(answers: Record<string, Answer>, asked: string[] = []): QueryFn {
  return (sql) => {
    asked.push(sql);
    const answer = answers[sql] ?? SERVER_ANSWERS[sql];
    if (answer === undefined) return Promise.reject(new Error(`unexpected statement: ${sql}`));
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
}

function rangesOf(model: TopologyModel, table: string): TopologyModel['ranges'] {
  return model.ranges.filter((r) => r.table === table);
}

describe('runner: topology of the simulated cluster', function () {
  this.timeout(120_000);
  let sim: Simulator;
  let server: WireServer;
  let client: Client;
  let query: QueryFn;
  const options = { target: 'simulated', simulated: true, focus: { database: 'movr', table: 'users' } };

  before(async () => {
    sim = await Simulator.start({ global: true });
    server = await WireServer.start(sim, { port: 0 });
    client = new Client({ host: '127.0.0.1', port: server.port(1), user: 'root', database: 'defaultdb' });
    await client.connect();
    query = queryFnOf(client);
    for (const sql of [
      'CREATE DATABASE movr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"',
      'USE movr',
      'CREATE TABLE users (id INT PRIMARY KEY, name STRING) LOCALITY REGIONAL BY ROW',
      "INSERT INTO users (id, name, crdb_region) VALUES (1, 'ann', 'us-east1'), (2, 'bo', 'us-west1'), (3, 'cy', 'us-west1')",
      // Statistics, as the automatic refresher would collect them: the estimate of rows per region starts from them.
      'CREATE STATISTICS s FROM users',
      'CREATE TABLE promo_codes (code STRING PRIMARY KEY) LOCALITY GLOBAL',
      'CREATE TABLE west_orders (id INT PRIMARY KEY) LOCALITY REGIONAL BY TABLE IN "us-west1"',
      'CREATE TABLE rides (id INT PRIMARY KEY)',
    ])
      await client.query(sql);
  });
  after(async () => {
    await client.end();
    await server.close();
    await sim.close();
  });

  it('reads regions, nodes, databases, tables, ranges and rows per partition', async () => {
    const asked: string[] = [];
    const model = await readTopology((sql) => {
      asked.push(sql);
      return query(sql);
    }, options);
    // A reading never scans a table: rows per region are estimated from statistics and range sizes.
    assert.ok(!asked.some((sql) => /count\(/i.test(sql)), `no count in ${asked.join('; ')}`);
    assert.ok(asked.includes('SHOW STATISTICS FOR TABLE movr.public.users'));
    assert.deepEqual(model.missing, []);
    assert.equal(model.target, 'simulated');
    assert.equal(model.simulated, true);
    assert.deepEqual(model.regions, [
      { name: 'europe-west1', zones: ['b', 'c', 'd'] },
      { name: 'us-east1', zones: ['b', 'c', 'd'] },
      { name: 'us-west1', zones: ['a', 'b', 'c'] },
    ]);
    assert.equal(model.nodes.length, 9);
    assert.deepEqual(
      model.nodes.map((n) => [n.id, n.region, n.zone, n.liveness]),
      [
        [1, 'us-east1', 'b', 'live'],
        [2, 'us-east1', 'c', 'live'],
        [3, 'us-east1', 'd', 'live'],
        [4, 'us-west1', 'a', 'live'],
        [5, 'us-west1', 'b', 'live'],
        [6, 'us-west1', 'c', 'live'],
        [7, 'europe-west1', 'b', 'live'],
        [8, 'europe-west1', 'c', 'live'],
        [9, 'europe-west1', 'd', 'live'],
      ],
    );
    const first = model.nodes[0];
    assert.ok(first);
    assert.equal(first.locality, 'region=us-east1,az=b');
    assert.match(first.address, /^127\.0\.0\.1:\d+$/);

    // defaultdb and postgres hold no tables; system is never shown.
    assert.deepEqual(model.databases, [
      { name: 'movr', primaryRegion: 'us-east1', regions: ['europe-west1', 'us-east1', 'us-west1'], survivalGoal: 'zone' },
    ]);
    const tables = new Map(model.tables.map((t) => [t.name, t]));
    assert.deepEqual([...tables.keys()].sort(), ['promo_codes', 'rides', 'users', 'west_orders']);
    assert.equal(tables.get('users')?.locality, 'regional-by-row');
    assert.equal(tables.get('users')?.localityText, 'REGIONAL BY ROW');
    assert.equal(tables.get('promo_codes')?.locality, 'global');
    assert.equal(tables.get('west_orders')?.locality, 'regional-by-table');
    assert.equal(tables.get('west_orders')?.homeRegion, 'us-west1');
    assert.equal(tables.get('rides')?.homeRegion, 'us-east1');
    assert.equal(tables.get('rides')?.localityText, 'REGIONAL BY TABLE IN PRIMARY REGION');
    assert.deepEqual(tables.get('users')?.partitions, [
      { region: 'europe-west1', rows: 0 },
      { region: 'us-east1', rows: 1 },
      { region: 'us-west1', rows: 2 },
    ]);
    assert.equal(tables.get('users')?.rowsFrom?.how, 'estimated');
    assert.equal(tables.get('rides')?.partitions, undefined);

    const regionOf = new Map(model.nodes.map((n) => [n.id, n.region]));
    for (const range of model.ranges) {
      assert.equal(range.database, 'movr');
      assert.ok(range.replicas.length >= 3, `r${range.rangeId} has ${range.replicas.length} replicas`);
      assert.ok(range.leaseholder !== undefined && range.replicas.some((r) => r.nodeId === range.leaseholder && r.type === 'voter'));
      assert.equal(range.available, true);
      assert.equal(typeof range.sizeBytes, 'number');
    }
    const users = rangesOf(model, 'users');
    assert.deepEqual(users.map((r) => r.partition).sort(), ['europe-west1', 'us-east1', 'us-west1']);
    for (const range of users) {
      assert.equal(regionOf.get(range.leaseholder ?? 0), range.partition, `r${range.rangeId}'s lease is in its partition's region`);
    }
    const [west] = rangesOf(model, 'west_orders');
    assert.equal(regionOf.get(west?.leaseholder ?? 0), 'us-west1');
    const [promo] = rangesOf(model, 'promo_codes');
    assert.ok(
      promo?.replicas.some((r) => r.type === 'non-voter'),
      'a GLOBAL table has non-voting replicas outside its home region',
    );
    assert.equal(rangesOf(model, 'rides').length, 1);
  });

  it('counts rows per region only when asked, and a reading then shows the count instead of the estimate', async () => {
    // Rows written after the statistics: the estimate still shares out the 3 rows the statistics saw.
    await client.query("INSERT INTO movr.users (id, name, crdb_region) VALUES (4, 'di', 'europe-west1'), (5, 'ed', 'europe-west1')");
    try {
      const estimated = await readTopology(query, options);
      const users = estimated.tables.find((t) => t.name === 'users');
      const db = estimated.databases.find((d) => d.name === 'movr');
      assert.ok(users && db);
      assert.equal(users.rowsFrom?.how, 'estimated');
      assert.equal(
        users.partitions?.reduce((n, p) => n + p.rows, 0),
        3,
        'the estimate is the statistics’ row count shared out, not a count',
      );
      const counted = await countPartitionRows(query, users, db, () => 1234);
      assert.deepEqual(counted, {
        partitions: [
          { region: 'europe-west1', rows: 2 },
          { region: 'us-east1', rows: 1 },
          { region: 'us-west1', rows: 2 },
        ],
        rowsFrom: { how: 'counted', at: 1234 },
      });
      const asked: string[] = [];
      const after = await readTopology(
        (sql) => {
          asked.push(sql);
          return query(sql);
        },
        { ...options, counted: new Map([[rowCountKey('movr', 'users'), counted]]) },
      );
      const shown = after.tables.find((t) => t.name === 'users');
      assert.ok(shown);
      assert.deepEqual(shown.partitions, counted.partitions);
      assert.deepEqual(shown.rowsFrom, { how: 'counted', at: 1234 });
      assert.ok(!asked.some((sql) => /count\(|SHOW STATISTICS/i.test(sql)), 'a counted table is neither counted nor estimated again');
    } finally {
      await client.query('DELETE FROM movr.users WHERE id IN (4, 5)');
    }
  });

  it('shows a killed node dead and its leases moved', async () => {
    sim.model.killNode(2);
    sim.model.advance(10_000);
    const model = await readTopology(query, options);
    assert.deepEqual(model.missing, []);
    assert.equal(model.nodes.find((n) => n.id === 2)?.liveness, 'dead');
    assert.equal(model.nodes.filter((n) => n.liveness === 'live').length, 8);
    assert.ok(model.ranges.length > 0);
    for (const range of model.ranges) {
      assert.notEqual(range.leaseholder, 2, `r${range.rangeId} still has its lease on the dead node`);
      assert.equal(range.available, true, `r${range.rangeId} keeps a majority of its voters`);
    }
  });

  it('throws when the connection is gone', async () => {
    const lost = new Client({ host: '127.0.0.1', port: server.port(1), user: 'root', database: 'defaultdb' });
    await lost.connect();
    await lost.end();
    await assert.rejects(readTopology(queryFnOf(lost), options));
  });
});

// ---- recorded rows, in CockroachDB v25's column orders -------------------------------------------

const REGIONS_FROM_CLUSTER: QueryResult = {
  columns: ['region', 'zones'],
  rows: [
    ['europe-west1', '{b,c,d}'],
    ['us-east1', '{b,c,d}'],
    ['us-west1', '{a,b,c}'],
  ],
};

const DATABASES: QueryResult = {
  columns: ['database_name', 'owner', 'primary_region', 'secondary_region', 'regions', 'survival_goal'],
  rows: [
    ['defaultdb', 'root', null, null, '{}', null],
    ['movr', 'demo', 'us-east1', 'us-west1', '{europe-west1,us-east1,us-west1}', 'region'],
    ['postgres', 'root', null, null, '{}', null],
    ['system', 'node', null, null, '{}', null],
  ],
};

const TABLES_COLUMNS = ['schema_name', 'table_name', 'type', 'owner', 'estimated_row_count', 'locality'];
const EMPTY_TABLES: QueryResult = { columns: TABLES_COLUMNS, rows: [] };
const MOVR_TABLES: QueryResult = {
  columns: TABLES_COLUMNS,
  rows: [
    ['public', 'promo_codes', 'table', 'demo', '1000', 'GLOBAL'],
    ['public', 'secrets', 'table', 'demo', '3', 'REGIONAL BY TABLE IN PRIMARY REGION'],
    ['public', 'users', 'table', 'demo', '50', 'REGIONAL BY ROW AS home'],
    ['public', 'users_view', 'view', 'demo', '0', 'REGIONAL BY TABLE IN PRIMARY REGION'],
    ['public', 'vehicles', 'table', 'demo', '15', 'REGIONAL BY TABLE IN "us-west1"'],
  ],
};

const RANGES_COLUMNS = [
  'start_key',
  'end_key',
  'range_id',
  'range_size_mb',
  'lease_holder',
  'lease_holder_locality',
  'replicas',
  'replica_localities',
  'voting_replicas',
  'non_voting_replicas',
  'learner_replicas',
  'split_enforced_until',
  'range_size',
  'span_stats',
];
const LOCALITIES = (ids: number[]): string =>
  `{${ids.map((id) => `"region=${id <= 3 ? 'us-east1' : id <= 6 ? 'us-west1' : 'europe-west1'},az=${'bcdabcbcd'[id - 1] ?? ''}"`).join(',')}}`;
const STATS = '{"approximate_disk_bytes": 44716, "intent_bytes": 0, "key_count": 10, "live_bytes": 1130}';

function rangeRow(
  start: string,
  end: string,
  id: number,
  leaseholder: number | null,
  voters: number[],
  nonVoters: number[],
  size: number,
): (string | null)[] {
  const replicas = [...voters, ...nonVoters].sort((a, b) => a - b);
  return [
    start,
    end,
    String(id),
    (size / 1e6).toFixed(6),
    leaseholder === null ? null : String(leaseholder),
    leaseholder === null ? null : LOCALITIES([leaseholder]).slice(2, -2) || null,
    `{${replicas.join(',')}}`,
    LOCALITIES(replicas),
    `{${voters.join(',')}}`,
    `{${nonVoters.join(',')}}`,
    '{}',
    null,
    String(size),
    STATS,
  ];
}

describe('runner: topology from recorded CockroachDB rows', () => {
  it('shows regions, databases, tables and ranges to a non-admin user, and says what it cannot', async () => {
    const asked: string[] = [];
    const query = fixtureQuery(
      {
        'SHOW REGIONS FROM CLUSTER': REGIONS_FROM_CLUSTER,
        'SELECT node_id, address, locality, is_live FROM crdb_internal.gossip_nodes': sqlError(
          '42501',
          'only users with the admin role are allowed to read crdb_internal.gossip_nodes',
        ),
        'SHOW DATABASES': DATABASES,
        'SHOW TABLES FROM defaultdb': EMPTY_TABLES,
        'SHOW TABLES FROM postgres': EMPTY_TABLES,
        'SHOW TABLES FROM movr': MOVR_TABLES,
        'SHOW RANGES FROM TABLE movr.public.promo_codes WITH DETAILS': {
          columns: RANGES_COLUMNS,
          rows: [rangeRow('…/<TableMin>', '…/<TableMax>', 90, 2, [1, 2, 3, 4, 7], [], 1130)],
        },
        'SHOW RANGES FROM TABLE movr.public.secrets WITH DETAILS': sqlError(
          '42501',
          'user alice does not have ZONECONFIG privilege on relation secrets',
        ),
        // A real cluster prints the region enum's bytes in keys: no partition can be read from them.
        'SHOW RANGES FROM TABLE movr.public.users WITH DETAILS': {
          columns: RANGES_COLUMNS,
          rows: [
            rangeRow('…/<TableMin>', '…/1/"@"', 91, 7, [7, 8, 9, 1, 4], [], 0),
            rangeRow('…/1/"@"', '…/1/"\\x80"', 92, 1, [1, 2, 3, 4, 7], [], 2048),
            rangeRow('…/1/"\\x80"', '…/<TableMax>', 93, 5, [4, 5, 6, 1, 7], [], 1024),
          ],
        },
        'SHOW RANGES FROM TABLE movr.public.vehicles WITH DETAILS': {
          columns: RANGES_COLUMNS,
          rows: [rangeRow('…/<TableMin>', '…/<TableMax>', 94, 4, [4, 5, 6, 1, 7], [], 512)],
        },
        'SELECT home::STRING AS region, count(*) FROM movr.public.users GROUP BY 1': {
          columns: ['region', 'count'],
          rows: [
            ['us-east1', '20'],
            ['europe-west1', '30'],
          ],
        },
      },
      asked,
    );
    const model = await readTopology(query, { target: 'prod', simulated: false, focus: { database: 'movr', table: 'users' } });
    assert.equal(model.target, 'prod');
    assert.equal(model.simulated, false);
    assert.deepEqual(
      model.regions.map((r) => r.name),
      ['europe-west1', 'us-east1', 'us-west1'],
    );
    assert.deepEqual(model.nodes, []);
    assert.ok(!asked.some((sql) => sql.includes('gossip_liveness')), 'liveness is not asked for nodes it cannot see');
    assert.deepEqual(model.databases, [
      {
        name: 'movr',
        primaryRegion: 'us-east1',
        secondaryRegion: 'us-west1',
        regions: ['europe-west1', 'us-east1', 'us-west1'],
        survivalGoal: 'region',
      },
    ]);
    assert.deepEqual(
      model.tables.map((t) => [t.name, t.locality, t.homeRegion]),
      [
        ['promo_codes', 'global', undefined],
        ['secrets', 'regional-by-table', 'us-east1'],
        ['users', 'regional-by-row', undefined],
        ['vehicles', 'regional-by-table', 'us-west1'],
      ],
    );
    // Its ranges' partitions cannot be read from the keys, so there is nothing to share an estimate
    // out by: no figure (and no scan) until the user asks for a count.
    const users = model.tables.find((t) => t.name === 'users');
    assert.equal(users?.partitions, undefined);
    assert.equal(users?.rowsFrom, undefined);
    assert.ok(!asked.some((sql) => /count\(/i.test(sql)), 'a reading never counts');
    const movr = model.databases[0];
    assert.ok(users && movr);
    assert.deepEqual(await countPartitionRows(query, users, movr, () => 7), {
      partitions: [
        { region: 'europe-west1', rows: 30 },
        { region: 'us-east1', rows: 20 },
        { region: 'us-west1', rows: 0 },
      ],
      rowsFrom: { how: 'counted', at: 7 },
    });
    assert.deepEqual(
      model.ranges.map((r) => [r.rangeId, r.table, r.leaseholder, r.sizeBytes, r.available, r.partition]),
      [
        [90, 'promo_codes', 2, 1130, true, undefined],
        [91, 'users', 7, 0, true, undefined],
        [92, 'users', 1, 2048, true, undefined],
        [93, 'users', 5, 1024, true, undefined],
        [94, 'vehicles', 4, 512, true, undefined],
      ],
    );
    assert.deepEqual(model.ranges[3]?.replicas, [
      { nodeId: 1, type: 'voter' },
      { nodeId: 4, type: 'voter' },
      { nodeId: 5, type: 'voter' },
      { nodeId: 6, type: 'voter' },
      { nodeId: 7, type: 'voter' },
    ]);
    assert.deepEqual(model.missing, [
      'nodes: crdb_internal.gossip_nodes is not readable (permission denied — needs the admin role); nodes and their liveness are not shown',
      'ranges of movr (secrets): SHOW RANGES failed (permission denied — needs the admin role or the ZONECONFIG privilege)',
    ]);
  });

  it('reads an older cluster: no DETAILS option, liveness states, unavailable ranges, a capped database', async () => {
    const asked: string[] = [];
    const many: QueryResult = {
      columns: TABLES_COLUMNS,
      rows: ['a', 'b', 'c'].map((name) => ['public', name, 'table', 'root', '0', null]),
    };
    const v222Columns = RANGES_COLUMNS.slice(0, 10);
    const v222 = (id: number, leaseholder: number | null, voters: number[], nonVoters: number[]): QueryResult => ({
      columns: v222Columns,
      rows: [rangeRow('…/<TableMin>', '…/<TableMax>', id, leaseholder, voters, nonVoters, 3_000_000).slice(0, 10)],
    });
    const query = fixtureQuery(
      {
        'SHOW REGIONS FROM CLUSTER': sqlError('0A000', 'SHOW REGIONS FROM CLUSTER is not supported by the simulated cluster'),
        'SELECT node_id, address, locality, is_live FROM crdb_internal.gossip_nodes': {
          columns: ['node_id', 'address', 'locality', 'is_live'],
          rows: [
            ['1', 'n1:26257', 'region=us-east1,az=b', 't'],
            ['2', 'n2:26257', 'region=us-east1,az=c', 't'],
            ['3', 'n3:26257', 'region=us-east1,az=d', 'f'],
            ['4', 'n4:26257', 'region=us-west1,az=a', 'f'],
            ['5', 'n5:26257', 'region=us-west1,az=b', 't'],
            ['6', 'n6:26257', 'region=us-west1,az=c', 't'],
          ],
        },
        'SELECT node_id, decommissioning, membership, draining, updated_at FROM crdb_internal.gossip_liveness': {
          columns: ['node_id', 'decommissioning', 'membership', 'draining', 'updated_at'],
          rows: [
            ['1', 'f', 'active', 'f', '2025-05-01 20:05:43.85563'],
            ['2', 'f', 'active', 't', '2025-05-01 20:05:43.1'],
            ['3', 'f', 'active', 'f', '2025-05-01 20:04:00'],
            ['4', 't', 'decommissioned', 't', '2025-05-01 20:05:40'],
            ['5', 't', 'decommissioning', 'f', '2025-05-01 20:05:42'],
            ['6', 'f', 'active', 'f', '2025-05-01 20:05:00'],
          ],
        },
        'SHOW DATABASES': {
          columns: ['database_name', 'owner', 'primary_region', 'secondary_region', 'regions', 'survival_goal'],
          rows: [
            ['bank', 'root', null, null, '{}', null],
            ['defaultdb', 'root', null, null, '{}', null],
          ],
        },
        'SHOW TABLES FROM bank': many,
        'SHOW TABLES FROM defaultdb': sqlError('42501', 'user alice has no privileges on database defaultdb'),
        'SHOW RANGES FROM TABLE bank.public.a WITH DETAILS': sqlError('42601', 'at or near "with": syntax error'),
        'SHOW RANGES FROM TABLE bank.public.a': v222(10, 1, [1, 2, 3], []),
        'SHOW RANGES FROM TABLE bank.public.b': v222(11, null, [1, 5, 6], []),
      },
      asked,
    );
    const model = await readTopology(query, { target: 'old', simulated: false, maxTablesPerDatabase: 2 });
    assert.deepEqual(
      model.nodes.map((n) => [n.id, n.liveness]),
      [
        [1, 'live'],
        [2, 'suspect'],
        [3, 'dead'],
        [4, 'decommissioned'],
        [5, 'decommissioning'],
        [6, 'suspect'],
      ],
    );
    // SHOW REGIONS failed: regions and zones come from the nodes' localities.
    assert.deepEqual(model.regions, [
      { name: 'us-east1', zones: ['b', 'c', 'd'] },
      { name: 'us-west1', zones: ['a', 'b', 'c'] },
    ]);
    assert.deepEqual(
      model.databases.map((d) => d.name),
      ['bank'],
    );
    assert.deepEqual(
      model.tables.map((t) => [t.name, t.locality]),
      [
        ['a', undefined],
        ['b', undefined],
      ],
    );
    assert.ok(!asked.includes('SHOW RANGES FROM TABLE bank.public.b WITH DETAILS'), 'DETAILS is not tried again');
    assert.deepEqual(
      model.ranges.map((r) => [r.rangeId, r.leaseholder, r.sizeBytes, r.available]),
      [
        [10, 1, 3_000_000, true],
        [11, undefined, 3_000_000, false],
      ],
    );
    assert.deepEqual(model.missing, [
      'regions: SHOW REGIONS FROM CLUSTER failed (not supported by the simulated cluster); regions are taken from node and replica localities',
      'bank has 3 tables: only the first 2 and their ranges are shown',
      'tables of defaultdb: SHOW TABLES failed (permission denied); its tables and ranges are not shown',
    ]);
  });

  it('on plain PostgreSQL says so in one sentence and asks nothing else', async () => {
    const asked: string[] = [];
    const model = await readTopology(
      fixtureQuery(
        {
          [VERSION]: {
            columns: ['version'],
            rows: [['PostgreSQL 16.4 (Debian 16.4-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc']],
          },
        },
        asked,
      ),
      { target: 'pg', simulated: false },
    );
    assert.equal(model.notCockroachDb, 'This server is PostgreSQL 16.4, not CockroachDB: it has no ranges or regions to show.');
    assert.deepEqual(asked, [VERSION]);
    assert.deepEqual([model.nodes, model.ranges, model.missing], [[], [], []]);
  });

  it('measures round trips between regions from the nodes’ heartbeat latencies, and marks the gateway', async () => {
    const gossip = {
      columns: ['node_id', 'address', 'locality', 'is_live'],
      rows: [
        ['1', 'n1:26257', 'region=us-east1,az=b', 't'],
        ['2', 'n2:26257', 'region=us-east1,az=c', 't'],
        ['4', 'n4:26257', 'region=us-west1,az=a', 't'],
      ],
    };
    // Nanoseconds per peer, as node status records them (int64 as JSON strings).
    const activity = (peers: Record<string, number>): string =>
      JSON.stringify(
        Object.fromEntries(Object.entries(peers).map(([id, ms]) => [id, { incoming: '10', outgoing: '12', latency: String(ms * 1e6) }])),
      );
    const model = await readTopology(
      fixtureQuery({
        'SHOW REGIONS FROM CLUSTER': REGIONS_FROM_CLUSTER,
        'SELECT node_id, address, locality, is_live FROM crdb_internal.gossip_nodes': gossip,
        'SELECT node_id, decommissioning, membership, draining, updated_at FROM crdb_internal.gossip_liveness': sqlError('42P01', 'no'),
        'SHOW DATABASES': { columns: DATABASES.columns, rows: [] },
        [GATEWAY]: { columns: ['node_id'], rows: [['2']] },
        [ACTIVITY]: {
          columns: ['node_id', 'activity'],
          rows: [
            ['1', activity({ 2: 0.4, 4: 64 })],
            ['2', activity({ 1: 0.5, 4: 68 })],
            ['4', activity({ 1: 66, 2: 70 })],
          ],
        },
      }),
      { target: 't', simulated: false },
    );
    assert.equal(model.gatewayNodeId, 2);
    assert.deepEqual(model.latency, { source: 'measured', links: [{ from: 'us-east1', to: 'us-west1', rttMs: 67 }] });
  });

  it('counts a range without a live majority of voters as unavailable', async () => {
    const model = await readTopology(
      fixtureQuery({
        'SHOW REGIONS FROM CLUSTER': REGIONS_FROM_CLUSTER,
        'SELECT node_id, address, locality, is_live FROM crdb_internal.gossip_nodes': {
          columns: ['node_id', 'address', 'locality', 'is_live'],
          rows: [1, 2, 3].map((id) => [String(id), `n${id}:26257`, `region=us-east1,az=${'bcd'[id - 1] ?? ''}`, id === 1 ? 't' : 'f']),
        },
        'SELECT node_id, decommissioning, membership, draining, updated_at FROM crdb_internal.gossip_liveness': sqlError(
          '42P01',
          'relation "crdb_internal.gossip_liveness" does not exist',
        ),
        'SHOW DATABASES': { columns: DATABASES.columns, rows: [['bank', 'root', null, null, '{}', null]] },
        'SHOW TABLES FROM bank': { columns: TABLES_COLUMNS, rows: [['public', 'accounts', 'table', 'root', '0', null]] },
        'SHOW RANGES FROM TABLE bank.public.accounts WITH DETAILS': {
          columns: RANGES_COLUMNS,
          // The lease has not expired yet, but two of three voters are down.
          rows: [rangeRow('…/<TableMin>', '…/<TableMax>', 7, 1, [1, 2, 3], [], 100)],
        },
      }),
      { target: 't', simulated: false },
    );
    assert.deepEqual(
      model.nodes.map((n) => n.liveness),
      ['live', 'dead', 'dead'],
    );
    assert.equal(model.ranges[0]?.available, false);
    assert.deepEqual(model.missing, [
      'node liveness: crdb_internal.gossip_liveness is not readable (not available on this CockroachDB version: relation "crdb_internal.gossip_liveness" does not exist); draining and decommissioning nodes are not told apart from live ones',
    ]);
  });

  it('throws a connection error instead of recording it', async () => {
    const gone = new Error('Connection terminated unexpectedly');
    await assert.rejects(
      readTopology(
        fixtureQuery({
          'SHOW REGIONS FROM CLUSTER': REGIONS_FROM_CLUSTER,
          'SELECT node_id, address, locality, is_live FROM crdb_internal.gossip_nodes': gone,
        }),
        { target: 't', simulated: false },
      ),
      { message: 'Connection terminated unexpectedly' },
    );
    await assert.rejects(
      readTopology(fixtureQuery({ 'SHOW REGIONS FROM CLUSTER': sqlError('08006', 'server closed the connection') }), {
        target: 't',
        simulated: false,
      }),
      { message: 'server closed the connection' },
    );
  });
});
