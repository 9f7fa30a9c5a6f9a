// The topology view's story inside code-server's real extension host, on the simulated cluster
// the multi-region lesson left (movr, SURVIVE REGION FAILURE): a node killed from the cluster's
// controls is told as an event with the lease moves it caused, the survival goal counts it, a
// what-if says it is already down, and SHOW RANGE … FOR ROW locates a users row in its region.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CrdbStudioApi } from '../../client/src/extension';
import { PATIENCE_MS, until } from '../support/patience';
import { extension } from './support';
import type { TopologyModel } from '../../protocol/src/topology';
import type { WhatIfResult } from '../../protocol/src/topologyStory';

describe('the topology view’s story', function () {
  this.timeout(2 * PATIENCE_MS);
  let api: CrdbStudioApi;

  async function whatIf(region: string): Promise<WhatIfResult> {
    const reply = await api.topology.story.answer({ type: 'what-if', domain: { kind: 'region', region } });
    if (reply?.type !== 'what-if') throw new Error(`no what-if answer: ${JSON.stringify(reply)}`);
    return reply.result;
  }

  before(async () => {
    api = await until(() => (extension().isActive ? extension().exports : undefined), 'activation');
    await api.targets.setCurrent('simulated');
    await vscode.commands.executeCommand('crdbStudio.showTopology');
  });

  it('tells a node’s death and its lease moves, counts it against the goal, and answers what-if', async () => {
    const read = await api.topology.refresh();
    assert.equal(read?.type, 'model');
    const before = (read as { model: TopologyModel }).model;
    const movr = before.databases.find((d) => d.name === 'movr');
    assert.equal(movr?.survivalGoal, 'region', 'the lesson left movr surviving a region');
    const calmTables = (await whatIf('us-east1')).tables.filter((t) => t.database === 'movr');
    assert.deepEqual(calmTables, [], 'with every node up, movr survives losing us-east1');

    const victim = before.nodes
      .filter((n) => n.region === 'us-west1')
      .sort(
        (a, b) => before.ranges.filter((r) => r.leaseholder === b.id).length - before.ranges.filter((r) => r.leaseholder === a.id).length,
      )[0];
    assert.ok(victim && before.ranges.some((r) => r.leaseholder === victim.id), 'a us-west1 node with leases');
    const cluster = await api.simulatedCluster.ensureStarted();
    await cluster.control({ action: 'kill', nodeId: victim.id });
    try {
      const story = await until(
        async () => {
          await api.topology.refresh();
          const s = api.topology.story.current();
          const events = s.frames.flatMap((f) => f.events);
          return events.some((e) => e.kind === 'node-dead' && e.nodes?.includes(victim.id)) &&
            events.some((e) => e.kind === 'leases-moved' && e.moves?.some((m) => m.from === victim.id))
            ? s
            : undefined;
        },
        'the death and the lease moves recorded',
        30_000,
      );
      const report = story.survival.find((r) => r.database === 'movr');
      assert.equal(report?.verdict, `n${victim.id} dead: one failure, within the goal (one region)`);
      const result = await whatIf('us-east1');
      assert.deepEqual(result.alreadyDown, [victim.id]);
      assert.match(result.summary, new RegExp(`^If us-east1 failed \\(with n${victim.id} already down\\)`));
    } finally {
      await cluster.control({ action: 'restart', nodeId: victim.id });
    }
  });

  it('locates a users row with SHOW RANGE … FOR ROW and prices a read and a write from each region', async () => {
    await api.topology.refresh();
    const reply = await api.topology.story.answer({
      type: 'locate-row',
      database: 'movr',
      table: 'users',
      region: 'europe-west1',
      key: '00000000-0000-4000-8000-000000000001',
    });
    if (reply?.type !== 'row-location') throw new Error(`no location: ${JSON.stringify(reply)}`);
    const [location] = reply.locations;
    assert.ok(location);
    assert.equal(
      location.statement,
      `SHOW RANGE FROM TABLE movr.public.users FOR ROW ('europe-west1', '00000000-0000-4000-8000-000000000001')`,
    );
    assert.match(location.leaseholderLocality ?? '', /^region=europe-west1,/);
    assert.equal(location.latencySource, 'simulated');
    const fromEast = location.latencies.find((l) => l.region === 'us-east1');
    // cockroach demo --global: us-east1 ↔ europe-west1 is 64 ms.
    assert.equal(fromEast?.readMs, 64);
    assert.ok((fromEast.writeMs ?? 0) > 64, 'a write also waits for a quorum of voters');
  });
});
