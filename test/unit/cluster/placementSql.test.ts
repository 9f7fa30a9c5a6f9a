// CockroachDB's documented multi-region placement (crdb-facts.md), read back the way a user
// reads it: SHOW ZONE CONFIGURATION, SHOW ZONE CONFIGURATIONS and SHOW RANGES.
import * as assert from 'node:assert/strict';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { exec, rows, zoneNumber } from './sqlSupport';

const REGIONS = ['us-east1', 'us-west1', 'europe-west1', 'asia-northeast1', 'australia-southeast1'];

// num_replicas / num_voters per (regions, survival goal), from pkg/sql/regions/region_util.go.
const TABLE: [number, 'ZONE' | 'REGION', number, number][] = [
  [1, 'ZONE', 3, 3],
  [3, 'ZONE', 5, 3],
  [3, 'REGION', 5, 5],
  [5, 'ZONE', 7, 3],
  [5, 'REGION', 6, 5],
];

describe('simulated cluster: multi-region placement', function () {
  let simulator: Simulator;
  let session: Session;

  before(async () => {
    // Five regions, three zones each, so every row of the table can be built.
    const localities = REGIONS.flatMap((region) => ['a', 'b', 'c'].map((zone) => ({ region, zone })));
    simulator = await Simulator.start({ localities });
    session = simulator.openSession();
  });
  after(async () => {
    await simulator.close();
  });

  for (const [count, goal, replicas, voters] of TABLE) {
    it(`${count} region${count > 1 ? 's' : ''}, SURVIVE ${goal} FAILURE: num_replicas ${replicas}, num_voters ${voters}`, async () => {
      const name = `db_${count}_${goal.toLowerCase()}`;
      const regions = REGIONS.slice(0, count);
      await exec(
        session,
        `CREATE DATABASE ${name} PRIMARY REGION "${regions[0] ?? ''}"${
          count > 1
            ? ` REGIONS ${regions
                .slice(1)
                .map((r) => `"${r}"`)
                .join(', ')}`
            : ''
        } SURVIVE ${goal} FAILURE`,
      );
      const [zone] = await rows(session, `SHOW ZONE CONFIGURATION FROM DATABASE ${name}`);
      assert.ok(zone);
      assert.equal(zone.target, `DATABASE ${name}`);
      assert.equal(zoneNumber(zone.raw_config_sql, 'num_replicas'), replicas);
      assert.equal(zoneNumber(zone.raw_config_sql, 'num_voters'), voters);
      assert.match(zone.raw_config_sql ?? '', new RegExp(`lease_preferences = '\\[\\[\\+region=${regions[0] ?? ''}\\]\\]'`));
      for (const region of regions)
        assert.match(zone.raw_config_sql ?? '', new RegExp(`\\+region=${region}: 1`), `one replica in ${region}`);
      if (goal === 'ZONE') assert.match(zone.raw_config_sql ?? '', new RegExp(`voter_constraints = '\\[\\+region=${regions[0] ?? ''}\\]'`));
      else assert.match(zone.raw_config_sql ?? '', new RegExp(`voter_constraints = '\\{\\+region=${regions[0] ?? ''}: 2\\}'`));
    });
  }

  it('places replicas as the zone configuration says (3 regions, ZONE survival)', async () => {
    await exec(
      session,
      'CREATE DATABASE placed PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"',
      'USE placed',
      'CREATE TABLE t (id INT PRIMARY KEY)',
    );
    const ranges = await rows(session, 'SHOW RANGES FROM TABLE t WITH DETAILS');
    assert.ok(ranges.length >= 1);
    for (const range of ranges) {
      const localities = (range.replica_localities ?? '').match(/region=[a-z0-9-]+/g) ?? [];
      assert.equal(localities.length, 5, 'num_replicas 5');
      for (const region of ['us-east1', 'us-west1', 'europe-west1'])
        assert.ok(localities.includes(`region=${region}`), `a replica in ${region}`);
      const voters = (range.voting_replicas ?? '').replace(/[{}]/g, '').split(',');
      assert.equal(voters.length, 3, 'num_voters 3');
      assert.match(range.lease_holder_locality ?? '', /^region=us-east1,/, 'the lease in the primary region');
      const byNode = new Map(simulator.model.nodes().map((n) => [String(n.id), n.locality.region]));
      for (const voter of voters) assert.equal(byNode.get(voter), 'us-east1', 'ZONE survival keeps every voter in the primary region');
      const zones = new Set(voters.map((v) => simulator.model.nodes().find((n) => String(n.id) === v)?.locality.zone));
      assert.equal(zones.size, 3, 'voters in three different zones');
    }
  });

  it('gives each locality its zone configuration', async () => {
    await exec(
      session,
      'CREATE DATABASE loc PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"',
      'USE loc',
      'CREATE TABLE in_primary (id INT PRIMARY KEY)',
      'CREATE TABLE in_west (id INT PRIMARY KEY) LOCALITY REGIONAL BY TABLE IN "us-west1"',
      'CREATE TABLE everywhere (id INT PRIMARY KEY) LOCALITY GLOBAL',
      'CREATE TABLE by_row (id INT PRIMARY KEY) LOCALITY REGIONAL BY ROW',
    );
    const [primary] = await rows(session, 'SHOW ZONE CONFIGURATION FROM TABLE in_primary');
    assert.equal(zoneNumber(primary?.raw_config_sql, 'num_voters'), 3);
    assert.match(primary?.raw_config_sql ?? '', /lease_preferences = '\[\[\+region=us-east1\]\]'/);
    const [west] = await rows(session, 'SHOW ZONE CONFIGURATION FROM TABLE in_west');
    assert.match(west?.raw_config_sql ?? '', /voter_constraints = '\[\+region=us-west1\]'/);
    assert.match(west?.raw_config_sql ?? '', /lease_preferences = '\[\[\+region=us-west1\]\]'/);
    const [global] = await rows(session, 'SHOW ZONE CONFIGURATION FROM TABLE everywhere');
    assert.match(global?.raw_config_sql ?? '', /global_reads = true/);
    const all = await rows(session, 'SHOW ZONE CONFIGURATIONS');
    for (const region of ['us-east1', 'us-west1', 'europe-west1']) {
      const partition = all.find((r) => r.target === `PARTITION "${region}" OF INDEX loc.public.by_row@by_row_pkey`);
      assert.ok(partition, `a partition of by_row for ${region}`);
      assert.match(partition.raw_config_sql ?? '', new RegExp(`lease_preferences = '\\[\\[\\+region=${region}\\]\\]'`));
    }
    // REGIONAL BY ROW: each row lives in its partition, voters and lease in the row's region.
    await exec(session, `INSERT INTO by_row (id, crdb_region) VALUES (1, 'us-east1'), (2, 'europe-west1')`);
    // The range holding the europe-west1 row (its key starts with the row's region).
    const [europe] = await rows(session, "SHOW RANGE FROM TABLE by_row FOR ROW ('europe-west1', 2)");
    assert.ok(europe, 'a range for the europe-west1 row');
    assert.match(europe.lease_holder_locality ?? '', /^region=europe-west1,/);
    const [east] = await rows(session, "SHOW RANGE FROM TABLE by_row FOR ROW ('us-east1', 1)");
    assert.match(east?.lease_holder_locality ?? '', /^region=us-east1,/);
    assert.notEqual(east?.range_id, europe.range_id, 'the two rows live in different ranges');
  });
});
