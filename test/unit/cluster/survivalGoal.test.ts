// A survival goal is a placement, not a label: ALTER DATABASE … SURVIVE REGION FAILURE moves the
// voters (the replicate queue, over simulated time) until the primary region holds two of five,
// spread 2-2-1, so the database keeps answering with its primary region cut off — like one
// created with that goal. A database left at ZONE survival loses quorum in the same failure.
import * as assert from 'node:assert/strict';
import { applyControl } from '../../../cluster/src/model/control';
import type { RangeState } from '../../../cluster/src/model/cluster';
import { MAX_FAILOVER_MS } from '../../../cluster/src/model/timing';
import { databaseZoneConfig } from '../../../cluster/src/model/zoneConfig';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { count, globalCluster, movr, regionsOf, tableSpan, userRanges } from './modelFixtures';

const REGIONS = 'PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"';

async function run(session: Session, sql: string): Promise<(string | null)[][]> {
  const results = await session.execute(sql);
  const failed = results.find((r) => r.error !== undefined);
  if (failed?.error) throw new Error(`${sql}: ${failed.error.message}`);
  return results[results.length - 1]?.rows ?? [];
}

/** Voters per region of each of the table's ranges, e.g. { 'us-east1': 2, 'us-west1': 2, 'europe-west1': 1 }. */
function votersByRegion(simulator: Simulator, range: RangeState): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of range.replicas) {
    if (r.type !== 'voter') continue;
    const region = simulator.model.node(r.nodeId)?.locality.region ?? '?';
    out[region] = (out[region] ?? 0) + 1;
  }
  return out;
}

function tableRanges(simulator: Simulator, database: string): RangeState[] {
  return simulator.model.ranges().filter((r) => r.database === database);
}

describe('cluster model: a changed survival goal moves the voters over simulated time', () => {
  it('the database zone (+region=…: 1 each, voters {primary: 2}) goes from 3-1-1 to 2-2-1 and survives its primary region', () => {
    const model = globalCluster(7);
    model.setSpans([tableSpan(104, databaseZoneConfig(movr('zone'))), tableSpan(105, databaseZoneConfig(movr('zone')))]);
    for (const r of userRanges(model)) assert.deepEqual(regionsOf(model, r, 'voter'), ['us-east1', 'us-east1', 'us-east1']);
    model.setSpans([tableSpan(104, databaseZoneConfig(movr('region'))), tableSpan(105, databaseZoneConfig(movr('region')))]);
    // Five voters at once (the constraints allow a third in us-east1), spread out by the replicate queue after.
    for (const r of userRanges(model)) assert.equal(count(regionsOf(model, r, 'voter'), 'us-east1'), 3);
    model.advance(60_000);
    for (const r of userRanges(model)) {
      const voters = regionsOf(model, r, 'voter');
      assert.equal(voters.length, 5);
      assert.equal(count(voters, 'us-east1'), 2, voters.join(','));
      assert.deepEqual(['us-east1', 'us-west1', 'europe-west1'].map((region) => count(voters, region)).sort(), [1, 2, 2], voters.join(','));
      assert.equal(model.node(r.leaseholder ?? 0)?.locality.region, 'us-east1');
    }
    for (const n of model.nodes()) if (n.locality.region === 'us-east1') model.killNode(n.id);
    model.advance(MAX_FAILOVER_MS);
    for (const r of userRanges(model)) {
      assert.ok(r.available, `r${r.rangeId} keeps quorum`);
      assert.notEqual(model.node(r.leaseholder ?? 0)?.locality.region, 'us-east1');
    }
  });
});

describe('simulated cluster: survival goals move the voters', function () {
  let simulator: Simulator;
  let session: Session;
  beforeEach(async () => {
    simulator = await Simulator.start({ global: true });
    // Through a node outside the primary region, so the session outlives it.
    session = simulator.openSession({ nodeId: 4 });
  });
  afterEach(async () => {
    await simulator.close();
  });

  async function shop(name: string, goal: 'ZONE' | 'REGION'): Promise<void> {
    await run(session, `CREATE DATABASE ${name} ${REGIONS} SURVIVE ${goal} FAILURE`);
    await run(session, `CREATE TABLE ${name}.items (id INT8 PRIMARY KEY, name STRING)`);
    await run(session, `INSERT INTO ${name}.items SELECT i, 'item-' || i::STRING FROM generate_series(1, 100) AS g(i)`);
  }

  it('ALTER … SURVIVE REGION FAILURE spreads the voters 2-2-1 and the table outlives its primary region', async () => {
    await shop('shop', 'ZONE');
    await run(session, 'SHOW RANGES FROM DATABASE shop');
    const before = tableRanges(simulator, 'shop');
    assert.ok(before.length > 0);
    for (const r of before) assert.deepEqual(votersByRegion(simulator, r), { 'us-east1': 3 });

    await run(session, 'ALTER DATABASE shop SURVIVE REGION FAILURE');
    await run(session, 'SHOW RANGES FROM DATABASE shop');
    simulator.model.advance(60_000);
    for (const r of tableRanges(simulator, 'shop')) {
      const voters = votersByRegion(simulator, r);
      assert.equal(voters['us-east1'], 2, `r${r.rangeId}: ${JSON.stringify(voters)}`);
      assert.deepEqual(
        Object.values(voters).sort((a, b) => a - b),
        [1, 2, 2],
        `r${r.rangeId}: ${JSON.stringify(voters)}`,
      );
      assert.equal(r.replicas.filter((x) => x.type === 'voter').length, 5);
      assert.equal(simulator.model.node(r.leaseholder ?? 0)?.locality.region, 'us-east1', `r${r.rangeId}'s lease stays home`);
    }

    applyControl(simulator, { action: 'partition', region: 'us-east1' });
    simulator.model.advance(30_000);
    assert.deepEqual(await run(session, 'SELECT count(*) FROM shop.items'), [['100']]);
    await run(session, "INSERT INTO shop.items VALUES (101, 'after the outage')");
  });

  it('a database created with REGION survival survives the same failure; one left at ZONE does not', async () => {
    await shop('born', 'REGION');
    await shop('zonal', 'ZONE');
    await run(session, 'SHOW RANGES FROM DATABASE born');
    simulator.model.advance(60_000);
    for (const r of tableRanges(simulator, 'born')) {
      assert.deepEqual(
        Object.values(votersByRegion(simulator, r)).sort((a, b) => a - b),
        [1, 2, 2],
      );
    }
    applyControl(simulator, { action: 'partition', region: 'us-east1' });
    simulator.model.advance(30_000);
    assert.deepEqual(await run(session, 'SELECT count(*) FROM born.items'), [['100']]);
    await assert.rejects(run(session, 'SELECT count(*) FROM zonal.items'), /replica unavailable|lost quorum|unavailable/);
  });
});
