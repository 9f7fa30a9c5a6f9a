// The topology view inside code-server's real extension host: after a multi-region lesson on
// the simulated cluster, its model comes from introspection, and a control from the view kills a
// node whose leases then move.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CrdbStudioApi } from '../../client/src/extension';
import type { RunSummary } from '../../protocol/src/results';
import type { TopologyModel } from '../../protocol/src/topology';
import { PATIENCE_MS, until } from '../support/patience';
import { extension, openFile } from './support';

describe('the topology view', function () {
  this.timeout(2 * PATIENCE_MS);
  let api: CrdbStudioApi;

  async function model(): Promise<TopologyModel> {
    const sent = await api.topology.refresh();
    assert.equal(sent?.type, 'model', sent?.type === 'error' ? sent.message : 'a model');
    return (sent as { model: TopologyModel }).model;
  }

  before(async () => {
    api = await until(() => (extension().isActive ? extension().exports : undefined), 'activation');
    await api.targets.setCurrent('simulated');
  });

  it('reads the simulated cluster after a multi-region lesson: regions, nodes, localities, survival goal, ranges', async () => {
    const lesson = await openFile('01-multi-region-schema.md');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', lesson.uri);
    const last = lenses.filter((l) => l.command?.command === 'crdbStudio.runBlocksUpTo').pop();
    const summary = await vscode.commands.executeCommand<RunSummary>(
      'crdbStudio.runBlocksUpTo',
      ...((last?.command?.arguments ?? []) as unknown[]),
    );
    assert.equal(summary.status, 'done');
    await vscode.commands.executeCommand('crdbStudio.showTopology');
    const topology = await model();
    assert.equal(topology.simulated, true);
    assert.equal(topology.nodes.length, 9);
    assert.deepEqual(topology.regions.map((r) => r.name).sort(), ['europe-west1', 'us-east1', 'us-west1']);
    const multiRegion = topology.databases.find((d) => d.primaryRegion !== undefined);
    assert.ok(multiRegion, 'the lesson made a multi-region database');
    assert.ok(
      topology.tables.some((t) => t.database === multiRegion.name && t.locality !== undefined),
      'its tables have localities',
    );
    assert.ok(
      topology.ranges.some((r) => r.database === multiRegion.name && r.leaseholder !== undefined),
      'its ranges have leaseholders',
    );
    assert.deepEqual(topology.missing, []);
  });

  it('kills a node from the view: it is marked dead and its leases move', async () => {
    const before = await model();
    const victim = [...before.nodes]
      .filter((n) => n.id !== 1)
      .sort(
        (a, b) => before.ranges.filter((r) => r.leaseholder === b.id).length - before.ranges.filter((r) => r.leaseholder === a.id).length,
      )[0];
    assert.ok(victim && before.ranges.some((r) => r.leaseholder === victim.id), 'a node with leases');
    const cluster = await api.simulatedCluster.ensureStarted();
    await cluster.control({ action: 'kill', nodeId: victim.id });
    const after = await until(
      async () => {
        const m = await model();
        return m.nodes.find((n) => n.id === victim.id)?.liveness === 'dead' && !m.ranges.some((r) => r.leaseholder === victim.id)
          ? m
          : undefined;
      },
      'the node marked dead and its leases moved',
      30_000,
    );
    assert.ok(
      after.ranges.filter((r) => r.database !== undefined).every((r) => r.available),
      'every user range has a leaseholder again',
    );
    await cluster.control({ action: 'restart', nodeId: victim.id });
  });
});
