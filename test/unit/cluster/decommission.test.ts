// `cockroach node decommission` as CockroachDB runs it: a pre-check that refuses when the replicas
// have nowhere to go (3 nodes, replication factor 3), replicas moved off before the node reads
// decommissioned, recommission only while decommissioning, and CockroachDB's own messages; the
// \demo commands keep current cockroach demo's words (decommission is permanent, no \demo recommission).
import * as assert from 'node:assert/strict';
import { applyControl } from '../../../cluster/src/model/control';
import { runNodeCommand } from '../../../cluster/src/nodeCommands';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';

const BLOCKED =
  'n3 has 2 replicas blocked with error: "0 of 2 live stores are able to take a new replica for the range ' +
  '(2 already have a voter, 0 already have a non-voter); likely not enough nodes in cluster"';

async function sql(session: Session, text: string): Promise<{ rows: (string | null)[][]; notices: string[]; error?: string }> {
  const results = await session.execute(text);
  const failed = results.find((r) => r.error !== undefined);
  const last = results[results.length - 1];
  return {
    rows: last?.rows ?? [],
    notices: results.flatMap((r) => r.notices.map((n) => n.message)),
    ...(failed?.error ? { error: failed.error.message } : {}),
  };
}

function node(simulator: Simulator, ...words: string[]): ReturnType<typeof runNodeCommand> {
  return runNodeCommand(simulator, 1, ['cockroach', 'node', ...words, '--insecure']);
}

/** The table's row for a node, split into its cells. */
function rowOf(output: string, id: number): string[] | undefined {
  const lines = output.split('\n').filter((l) => l.split('|')[0]?.trim() === String(id));
  return lines[lines.length - 1]?.split('|').map((c) => c.trim());
}

describe('simulated cluster: cockroach node decommission', function () {
  describe('three nodes, replication factor 3', () => {
    let simulator: Simulator;
    let session: Session;
    before(async () => {
      simulator = await Simulator.start({ nodes: 3 });
      session = simulator.openSession();
      await sql(session, 'CREATE TABLE t (id INT8 PRIMARY KEY, v STRING)');
      await sql(session, "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
      await sql(session, 'SELECT 1');
      simulator.model.advance(5000);
    });
    after(async () => {
      await simulator.close();
    });

    it('refuses, every time, with the blocking ranges; the node stays a member and SQL answers', async () => {
      const replicas = simulator.model.decommissionStatus([3])[0]?.replicaCount ?? 0;
      assert.ok(replicas > 0);
      for (let attempt = 0; attempt < 3; attempt++) {
        const result = await node(simulator, 'decommission', '3');
        assert.equal(result.error, 'ERROR: Cannot decommission nodes.\nFailed running "node decommission"');
        const lines = result.output.split('\n');
        assert.ok(lines.includes('ranges blocking decommission detected'), result.output);
        const blocked = lines.find((l) => l.startsWith('n3 has '));
        assert.equal(blocked, BLOCKED.replace('2 replicas', `${replicas} replicas`));
        assert.deepEqual(rowOf(result.output, 3), [
          '3',
          'true',
          String(replicas),
          'false',
          'active',
          'false',
          'allocation errors',
          String(replicas),
        ]);
        assert.match(
          result.output,
          /id \| is_live \| replicas \| is_decommissioning \| membership \| is_draining \|\s+readiness\s+\| blocking_ranges/,
        );
        assert.equal(simulator.model.membership(3), 'active');
      }
      assert.deepEqual((await sql(session, 'SELECT count(*) FROM t')).rows, [['2']]);
    });

    it('the topology view’s decommission control refuses the same way', () => {
      assert.throws(() => {
        applyControl(simulator, { action: 'decommission', nodeId: 3 });
      }, /^Error: ranges blocking decommission detected: n3 has \d+ replicas blocked with error: "0 of 2 live stores are able to take a new replica for the range .*"\. Cannot decommission nodes\.$/);
      assert.equal(simulator.model.membership(3), 'active');
    });

    it('--dry-run reports readiness without changing anything', async () => {
      const result = await node(simulator, 'decommission', '3', '--dry-run');
      assert.equal(result.error, 'ERROR: Cannot decommission nodes.\nFailed running "node decommission"');
      assert.equal(simulator.model.membership(3), 'active');
    });

    it('--checks=skip starts anyway; the move stalls, and recommission undoes it', async () => {
      const result = await node(simulator, 'decommission', '3', '--checks=skip');
      assert.ok(result.output.includes('possible decommission stall detected'), result.output);
      assert.match(result.output, /n3 still has replica id \d+ for range r\d+/);
      assert.match(result.error ?? '', /^ERROR: the simulated cluster stopped waiting: \d+ replicas are still on n3/);
      assert.equal(simulator.model.membership(3), 'decommissioning');
      assert.deepEqual((await sql(session, 'SELECT count(*) FROM t')).rows, [['2']]);
      const back = await node(simulator, 'recommission', '3');
      assert.equal(back.error, undefined);
      assert.deepEqual(rowOf(back.output, 3)?.slice(3, 6), ['false', 'active', 'false']);
      assert.equal(simulator.model.membership(3), 'active');
    });

    it('--checks=strict refuses as well', async () => {
      const result = await node(simulator, 'decommission', '3', '--checks=strict');
      assert.equal(result.error, 'ERROR: Cannot decommission nodes.\nFailed running "node decommission"');
    });

    it('bad input: unknown flags, node IDs and verbs', async () => {
      assert.equal(
        (await node(simulator, 'decommission', '--bogus')).error,
        'ERROR: unknown flag: --bogus\nFailed running "node decommission"',
      );
      assert.equal(
        (await node(simulator, 'decommission', 'x')).error,
        'ERROR: unable to parse x: strconv.ParseInt: parsing "x": invalid syntax\nFailed running "node decommission"',
      );
      assert.equal((await node(simulator, 'decommission')).error, 'ERROR: no node ID specified\nFailed running "node decommission"');
      assert.equal((await node(simulator, 'decommission', '9')).error, 'ERROR: node does not exist\nFailed running "node decommission"');
      assert.equal(
        (await node(simulator, 'frobnicate')).error,
        'ERROR: unknown command "frobnicate" for "cockroach node"\nFailed running "node frobnicate"',
      );
      assert.match(
        (await node(simulator, 'decommission', '3', '--checks=maybe')).error ?? '',
        /invalid argument "maybe" for "--checks" flag/,
      );
      assert.equal((await node(simulator, 'status', '7')).error, 'ERROR: node 7 doesn\'t exist\nFailed running "node status"');
    });
  });

  describe('four nodes', () => {
    let simulator: Simulator;
    let session: Session;
    beforeEach(async () => {
      simulator = await Simulator.start({ nodes: 4 });
      session = simulator.openSession();
      await sql(session, 'CREATE TABLE t (id INT8 PRIMARY KEY, v STRING)');
      await sql(session, "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      await sql(session, 'SELECT 1');
      simulator.model.advance(60_000);
    });
    afterEach(async () => {
      await simulator.close();
    });

    it('moves every replica off before the node reads decommissioned, then prints the next step', async () => {
      const before = simulator.model.decommissionStatus([4])[0]?.replicaCount ?? 0;
      assert.ok(before > 0, 'node 4 holds replicas to move');
      const result = await node(simulator, 'decommission', '4');
      assert.equal(result.error, undefined, result.output);
      // The first table: still holding its replicas, decommissioning, ready.
      const first = result.output.split('\n').find((l) => l.split('|')[0]?.trim() === '4');
      assert.deepEqual(
        first?.split('|').map((c) => c.trim()),
        ['4', 'true', String(before), 'true', 'decommissioning', 'false', 'ready', '0'],
      );
      assert.deepEqual(rowOf(result.output, 4), ['4', 'true', '0', 'true', 'decommissioning', 'false', 'ready', '0']);
      assert.ok(result.output.includes('draining node n4\nnode n4 drained successfully\n'), result.output);
      assert.ok(
        result.output.endsWith('\nNo more data reported on target nodes. Please verify cluster health before removing the nodes.\n'),
      );
      assert.equal(simulator.model.membership(4), 'decommissioned');
      for (const r of simulator.model.ranges()) assert.ok(!r.replicas.some((x) => x.nodeId === 4), `r${r.rangeId} left n4`);
      assert.deepEqual((await sql(session, 'SELECT count(*) FROM t')).rows, [['3']]);
      // Decommissioned is final: CockroachDB's liveness refuses the way back.
      const back = await node(simulator, 'recommission', '4');
      assert.equal(
        back.error,
        'ERROR: can only recommission a decommissioning node; n4 found to be decommissioned\nFailed running "node recommission"',
      );
      const again = await node(simulator, 'decommission', '4');
      assert.ok(again.output.startsWith('warning: node 4 is already decommissioning or decommissioned\n'), again.output);
      assert.equal(rowOf(again.output, 4)?.[6], 'already decommissioned');
    });

    it('--wait=none returns while the replicas move; the node stays decommissioning until the command runs again', async () => {
      const result = await node(simulator, 'decommission', '4', '--wait=none');
      assert.equal(result.error, undefined);
      assert.equal(rowOf(result.output, 4)?.[4], 'decommissioning');
      assert.ok(!result.output.includes('No more data reported'));
      assert.ok((simulator.model.decommissionStatus([4])[0]?.replicaCount ?? 0) > 0, 'moves take simulated time');
      simulator.model.advance(10 * 60_000);
      assert.equal(simulator.model.decommissionStatus([4])[0]?.replicaCount, 0);
      assert.equal(simulator.model.membership(4), 'decommissioning');
      const finish = await node(simulator, 'decommission', '4');
      assert.equal(finish.error, undefined);
      assert.equal(simulator.model.membership(4), 'decommissioned');
    });

    it('recommission: a live member is warned about; a decommissioning node becomes active again', async () => {
      const live = await node(simulator, 'recommission', '2');
      assert.ok(live.output.startsWith('warning: node 2 is not decommissioned\n'), live.output);
      assert.equal(live.error, undefined);
      await node(simulator, 'decommission', '4', '--wait=none');
      const back = await node(simulator, 'recommission', '4');
      assert.deepEqual(rowOf(back.output, 4)?.slice(3, 6), ['false', 'active', 'false']);
      assert.equal(simulator.model.membership(4), 'active');
    });

    it('--dry-run: ready, and nothing changes', async () => {
      const result = await node(simulator, 'decommission', '4', '--dry-run');
      assert.equal(result.error, undefined);
      assert.equal(rowOf(result.output, 4)?.[6], 'ready');
      assert.equal(simulator.model.membership(4), 'active');
    });

    it('drain hands the leases away and keeps the node live; --shutdown stops it', async () => {
      const result = await node(simulator, 'drain', '3');
      assert.equal(result.output, 'drain ok\n');
      assert.ok(!simulator.model.ranges().some((r) => r.leaseholder === 3));
      assert.equal(simulator.model.node(3)?.liveness, 'live');
      const stop = await node(simulator, 'drain', '3', '--shutdown');
      assert.equal(stop.output, 'drain ok\nshutdown ok\n');
      assert.equal(simulator.model.node(3)?.running, false);
      const dead = await runNodeCommand(simulator, 3, ['cockroach', 'node', 'status']);
      assert.match(dead.error ?? '', /^ERROR: cannot dial server\.\nIs the server running\?/);
    });

    it('ls and status list the members; a decommissioned node only with --decommission', async () => {
      await node(simulator, 'decommission', '4');
      simulator.model.killNode(4);
      const ls = await node(simulator, 'ls');
      assert.deepEqual(
        ls.output
          .trimEnd()
          .split('\n')
          .map((l) => l.trim()),
        ['id', '----', '1', '2', '3', '(3 rows)'],
      );
      const status = await node(simulator, 'status');
      assert.equal(rowOf(status.output, 4), undefined);
      const all = await node(simulator, 'status', '--decommission');
      assert.equal(rowOf(all.output, 4)?.at(-2), 'decommissioned');
    });
  });

  describe('\\demo commands keep cockroach demo’s words', () => {
    let simulator: Simulator;
    let session: Session;
    before(async () => {
      simulator = await Simulator.start({ nodes: 5 });
      session = simulator.openSession();
    });
    after(async () => {
      await simulator.close();
    });

    it('shutdown, restart, decommission, add and their refusals; \\demo recommission is gone', async () => {
      assert.deepEqual((await sql(session, '\\demo shutdown 3')).notices, ['node 3 has been shutdown']);
      assert.equal((await sql(session, '\\demo shutdown 3')).error, 'internal server error: node 3 is already shut down');
      assert.equal((await sql(session, '\\demo shutdown 8')).error, 'internal server error: node 8 does not exist');
      assert.equal((await sql(session, '\\demo restart 2')).error, 'internal server error: node 2 is already running');
      assert.equal((await sql(session, '\\demo shutdown 1')).error, 'internal server error: cannot shutdown node 1');
      assert.deepEqual((await sql(session, '\\demo restart 3')).notices, ['node 3 has been restarted']);
      assert.equal((await sql(session, '\\demo node')).error, 'invalid syntax: \\demo node. Try \\? for help.');
      assert.equal(
        (await sql(session, '\\demo shutdown x')).error,
        'invalid syntax: "x" is not a valid node ID: strconv.ParseInt: parsing "x": invalid syntax',
      );
      // demo drains and stops the node, then marks it decommissioning and decommissioned at once.
      assert.deepEqual((await sql(session, '\\demo decommission 4')).notices, ['node 4 has been decommissioned']);
      assert.equal(simulator.model.membership(4), 'decommissioned');
      assert.equal(simulator.model.node(4)?.running, false);
      // Current demo has no recommission verb: it answers as for any verb it does not know, and the
      // node stays decommissioned.
      assert.equal((await sql(session, '\\demo recommission 4')).error, 'invalid syntax: \\demo recommission 4. Try \\? for help.');
      assert.equal(simulator.model.membership(4), 'decommissioned');
      // Every later command naming it: permanently decommissioned (demo's findServer).
      for (const verb of ['restart', 'shutdown', 'decommission'])
        assert.equal((await sql(session, `\\demo ${verb} 4`)).error, 'internal server error: node 4 is permanently decommissioned');
      // demo decommissions by draining and shutting the node down first, which a stopped node refuses.
      assert.deepEqual((await sql(session, '\\demo shutdown 5')).notices, ['node 5 has been shutdown']);
      assert.equal((await sql(session, '\\demo decommission 5')).error, 'internal server error: node 5 is already shut down');
      assert.deepEqual((await sql(session, '\\demo restart 5')).notices, ['node 5 has been restarted']);
      assert.deepEqual((await sql(session, '\\demo add region=ca-central,zone=a')).notices, [
        'node 6 has been added with locality "region=ca-central,zone=a"',
      ]);
      assert.equal((await sql(session, '\\demo add blah')).error, 'internal server error: tier must be in the form "key=value" not "blah"');
      assert.deepEqual((await sql(session, 'SELECT count(*) FROM crdb_internal.gossip_nodes')).rows, [['6']]);
    });

    it('\\demo ls prints each running node’s addresses as demo does, also without a wire server', async () => {
      const listed = await sql(session, '\\demo ls');
      assert.equal(listed.error, undefined);
      const text = listed.notices.join('\n');
      assert.ok(
        text.startsWith(
          [
            'node 1:',
            '   (webui)    http://127.0.0.1:8080',
            '   (cli)      cockroach sql --insecure -d defaultdb',
            '   (sql)      postgresql://root@127.0.0.1:26257/defaultdb?sslmode=disable',
            '',
            'node 2:',
            '   (webui)    http://127.0.0.1:8081',
            '   (cli)      cockroach sql --insecure -p 26258 -d defaultdb',
            '   (sql)      postgresql://root@127.0.0.1:26258/defaultdb?sslmode=disable',
            '',
          ].join('\n'),
        ),
        text,
      );
      // The cli and sql lines name the database the shell is in (demo's: the example database).
      await sql(session, 'CREATE DATABASE movr');
      await sql(session, 'USE movr');
      const inMovr = (await sql(session, '\\demo ls')).notices.join('\n');
      assert.ok(inMovr.includes('   (cli)      cockroach sql --insecure -d movr\n'), inMovr);
      assert.ok(inMovr.includes('   (sql)      postgresql://root@127.0.0.1:26257/movr?sslmode=disable\n'), inMovr);
      await sql(session, 'USE defaultdb');
      // Node 4 was decommissioned and stopped: demo lists only running nodes.
      assert.ok(!text.includes('node 4:'));
      assert.ok(text.includes('node 6:'));
    });
  });
});
