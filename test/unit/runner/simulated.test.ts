// The runner against the project's simulated cluster over the wire, as against a real one:
// CockroachDB statements, a cursor over its results, its errors and hints, and `\demo`.
import * as assert from 'node:assert/strict';
import { Simulator } from '../../../cluster/src/simulator';
import { WireServer } from '../../../cluster/src/wire/server';
import { clientConfig } from '../../../runner/src/profile';
import { SqlSession } from '../../../runner/src/session';
import { statementsIn } from '../../../runner/src/statements';

describe('runner: against the simulated cluster', function () {
  this.timeout(120_000);
  let simulator: Simulator;
  let server: WireServer;
  let session: SqlSession;

  before(async () => {
    simulator = await Simulator.start({ global: true });
    server = await WireServer.start(simulator, { port: 0 });
    session = await SqlSession.open(
      clientConfig({ name: 'demo', host: '127.0.0.1', port: server.port(1), user: 'root', database: 'defaultdb' }, undefined),
    );
  });
  after(async () => {
    await session.close();
    await server.close();
    await simulator.close();
  });

  it('pages SHOW REGIONS FROM CLUSTER through a cursor', async () => {
    const outcome = await session.run('SHOW REGIONS FROM CLUSTER', { pageSize: 1 });
    assert.equal(outcome.error, undefined, outcome.error?.message);
    assert.equal(outcome.columns[0]?.name, 'region');
    assert.equal(outcome.rows.length, 1);
    assert.equal(outcome.hasMore, true);
    const rest = await outcome.more(10);
    assert.equal(rest.hasMore, false);
    const regions = [...outcome.rows, ...rest.rows].map((row) => row[0]);
    assert.deepEqual([...regions].sort(), ['europe-west1', 'us-east1', 'us-west1']);
    assert.equal(outcome.transaction, 'idle');
  });

  it('reports a multi-region error with its SQLSTATE and hint', async () => {
    const outcome = await session.run('CREATE DATABASE nowhere PRIMARY REGION "mars-north1"', { pageSize: 10 });
    assert.equal(outcome.error?.code, '42602');
    assert.equal(outcome.error.message, 'region "mars-north1" does not exist');
    assert.equal(outcome.error.hint, 'valid regions: europe-west1, us-east1, us-west1');
    assert.equal(session.alive, true);
  });

  it('hears a warning as a WARNING and a notice as a NOTICE (v25.1: COMMIT with none open, DDL in a transaction)', async () => {
    const commit = await session.run('COMMIT', { pageSize: 10 });
    assert.equal(commit.error, undefined, commit.error?.message);
    assert.deepEqual(commit.notices, [{ severity: 'WARNING', message: 'there is no transaction in progress' }]);
    await session.run('BEGIN', { pageSize: 10 });
    const ddl = await session.run('CREATE TABLE heard (id INT8 PRIMARY KEY)', { pageSize: 10 });
    assert.deepEqual(
      ddl.notices.map((n) => n.severity),
      ['NOTICE'],
    );
    await session.run('DROP TABLE heard', { pageSize: 10 });
  });

  it('runs a script with a \\demo command among statements', async () => {
    const script =
      'CREATE TABLE runner_t (id INT PRIMARY KEY);\n\\demo ls\nINSERT INTO runner_t VALUES (1), (2);\nSELECT count(*) FROM runner_t;';
    const results = [];
    for (const statement of statementsIn(script)) results.push(await session.run(statement.text, { pageSize: 100 }));
    assert.deepEqual(
      results.map((r) => r.error),
      [undefined, undefined, undefined, undefined],
    );
    const nodes = results[1];
    assert.ok(nodes);
    // demo prints its nodes as text, not rows: here a notice with a `node N:` block per node.
    assert.equal(
      nodes.notices
        .map((n) => n.message)
        .join('\n')
        .split('\n')
        .filter((l) => /^node \d+:$/.test(l)).length,
      9,
    );
    assert.equal(results[3]?.rows[0]?.[0], '2');
    assert.equal(results[3].columns[0]?.type, 'INT8');
  });
});

describe('runner: a simulated cluster that shuts down while a statement runs', function () {
  this.timeout(120_000);

  it('ends the statement with an error, never a wait, and refuses the next one', async () => {
    const simulator = await Simulator.start({ nodes: 3 });
    const server = await WireServer.start(simulator, { port: 0 });
    const session = await SqlSession.open(
      clientConfig({ name: 'demo', host: '127.0.0.1', port: server.port(1), user: 'root', database: 'defaultdb' }, undefined),
    );
    try {
      // The server answers the sleep and shuts the connection right after (a reset of the
      // simulated cluster does this): node-postgres then never finishes the cursor's read.
      const running = session.run('SELECT pg_sleep(0.5)', { pageSize: 10 });
      setTimeout(() => void server.close(), 100);
      const outcome = await running;
      assert.ok(outcome.error, 'the statement reports the lost connection');
      assert.equal(session.alive, false);
      assert.match(outcome.note ?? '', /connection was lost/);
      assert.equal((await session.run('SELECT 1', { pageSize: 10 })).error?.code, '08003');
    } finally {
      await session.close();
      await server.close();
      await simulator.close();
    }
  });
});
