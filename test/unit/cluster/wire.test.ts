// Clients against `crdb-studio demo`: the real psql and the `pg` driver, over the PostgreSQL wire
// protocol, as a user would connect to a real cluster.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import { PATIENCE_MS } from '../../support/patience';
import { repoRoot } from '../../support/tools';

const cli = path.join(repoRoot, 'dist', 'cli', 'cli.js');

/** Starts `crdb-studio demo` on free ports; resolves with the process and node 1's URL. */
function startDemo(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, 'demo', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      reject(new Error(`demo did not start:\n${out}`));
    }, PATIENCE_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /\(sql\)\s+(postgresql:\/\/\S+)/.exec(out)?.[1];
      if (url && out.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code ?? 'signal'}:\n${out}`));
    });
  });
}

/** A node's SQL port, from crdb_internal.gossip_nodes (`\demo ls` prints it as text, as demo does). */
async function nodePort(url: string, node: number): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const listed = await client.query<{ node_id: string; sql_address: string }>(
      'SELECT node_id::STRING, sql_address FROM crdb_internal.gossip_nodes',
    );
    const address = listed.rows.find((r) => r.node_id === String(node))?.sql_address ?? '';
    return Number(address.split(':')[1]);
  } finally {
    await client.end();
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGINT');
  });
}

describe('simulated cluster: psql and pg against crdb-studio demo', function () {
  this.timeout(2 * PATIENCE_MS);
  let demo: { child: ChildProcess; url: string };

  before(async () => {
    demo = await startDemo(['--global']);
  });
  after(async () => {
    await stop(demo.child);
  });

  it('psql runs CockroachDB statements and prints their results', () => {
    const psql = spawnSync(
      'psql',
      [
        demo.url,
        '-X',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        'CREATE DATABASE movr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"',
        '-c',
        'SHOW REGIONS FROM DATABASE movr',
        '-c',
        'SELECT version()',
      ],
      { encoding: 'utf8', timeout: PATIENCE_MS },
    );
    assert.equal(psql.status, 0, psql.stderr);
    assert.match(psql.stdout, /movr\s+\|\s+us-east1\s+\|\s+t\s+\|\s+f\s+\|\s+\{b,c,d\}/);
    assert.match(psql.stdout, /CockroachDB CCL v25\.2/);
  });

  it('psql reports an error with its SQLSTATE and hint', () => {
    const psql = spawnSync('psql', [demo.url, '-X', '-v', 'VERBOSITY=verbose', '-c', 'ALTER DATABASE defaultdb ADD REGION "us-west1"'], {
      encoding: 'utf8',
      timeout: PATIENCE_MS,
    });
    assert.notEqual(psql.status, 0);
    assert.match(psql.stderr, /ERROR:\s+42P12: cannot add region "us-west1" to database defaultdb/);
    assert.match(psql.stderr, /HINT:\s+you must add a PRIMARY REGION first/);
  });

  it('pg: parameters, several statements, errors with codes, connections to other nodes', async () => {
    const client = new Client({ connectionString: demo.url });
    await client.connect();
    try {
      const sum = await client.query<{ x: string }>('SELECT $1::INT8 + $2::INT8 AS x', [40, 2]);
      assert.equal(sum.rows[0]?.x, '42');
      const multi = (await client.query(
        'CREATE TABLE kv (k INT PRIMARY KEY, v STRING); UPSERT INTO kv VALUES (1, $$a$$); SELECT v FROM kv',
      )) as unknown as {
        rows: { v: string }[];
      }[];
      assert.deepEqual(multi[2]?.rows, [{ v: 'a' }]);
      await assert.rejects(client.query('SELECT * FROM nosuch'), (error: { code?: string }) => error.code === '42P01');
      const named = await client.query({ name: 'by-key', text: 'SELECT v FROM kv WHERE k = $1', values: [1] });
      assert.deepEqual(named.rows, [{ v: 'a' }]);
      const again = await client.query({ name: 'by-key', text: 'SELECT v FROM kv WHERE k = $1', values: [2] });
      assert.deepEqual(again.rows, []);
    } finally {
      await client.end();
    }
    // Through node 5: the gateway is in us-west1.
    const port = await nodePort(demo.url, 5);
    const west = new Client({ host: '127.0.0.1', port, user: 'root', database: 'defaultdb' });
    await west.connect();
    try {
      const region = await west.query<{ r: string }>('SELECT gateway_region() AS r');
      assert.equal(region.rows[0]?.r, 'us-west1');
    } finally {
      await west.end();
    }
  });

  it('concurrent sessions: an open transaction makes the other wait, then it proceeds', async () => {
    const a = new Client({ connectionString: demo.url });
    const b = new Client({ connectionString: demo.url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await a.query('CREATE TABLE IF NOT EXISTS counter (id INT PRIMARY KEY, n INT)');
      await a.query('UPSERT INTO counter VALUES (1, 0)');
      await a.query('BEGIN');
      await a.query('UPDATE counter SET n = n + 1 WHERE id = 1');
      let waited = true;
      const waiting = b.query('UPDATE counter SET n = n + 10 WHERE id = 1').finally(() => (waited = false));
      // Round trips inside the open transaction, not a sleep, give b's UPDATE time to arrive.
      for (let i = 0; i < 3; i++) assert.equal((await a.query<{ n: string }>('SELECT n FROM counter WHERE id = 1')).rows[0]?.n, '1');
      assert.equal(waited, true, "b's UPDATE waits while a's transaction is open");
      await a.query('COMMIT');
      await waiting;
      const result = await a.query<{ n: string }>('SELECT n FROM counter WHERE id = 1');
      assert.equal(result.rows[0]?.n, '11');
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('\\demo commands as statements; a dead node refuses connections, and its sessions end', async () => {
    const client = new Client({ connectionString: demo.url });
    await client.connect();
    const port = await nodePort(demo.url, 3);
    const onThree = new Client({ host: '127.0.0.1', port, user: 'root', database: 'defaultdb' });
    // The server ends this session when node 3 goes down: expected, not a test failure.
    onThree.on('error', () => undefined);
    await onThree.connect();
    try {
      const notices: string[] = [];
      client.on('notice', (n) => notices.push(n.message ?? ''));
      await client.query('\\demo ls');
      assert.equal(
        notices
          .join('\n')
          .split('\n')
          .filter((l) => /^node \d+:$/.test(l)).length,
        9,
      );
      await client.query('\\demo shutdown 3');
      await assert.rejects(onThree.query('SELECT 1'));
      const refused = new Client({ host: '127.0.0.1', port, user: 'root', database: 'defaultdb', connectionTimeoutMillis: 5000 });
      refused.on('error', () => undefined);
      await assert.rejects(refused.connect());
      await client.query('\\demo restart 3');
      const back = new Client({ host: '127.0.0.1', port, user: 'root', database: 'defaultdb' });
      back.on('error', () => undefined);
      await back.connect();
      // An integer expression is INT8 on CockroachDB, which pg returns as a string.
      assert.equal((await back.query<{ one: string }>('SELECT 1 AS one')).rows[0]?.one, '1');
      await back.end();
    } finally {
      await client.end();
      await onThree.end().catch(() => undefined);
    }
  });

  it('crdb-studio workload bank runs transfers and checks the money at the end', () => {
    const run = spawnSync(process.execPath, [cli, 'workload', 'bank', '--duration', '2s', '--accounts', '100', '--init', demo.url], {
      encoding: 'utf8',
      timeout: PATIENCE_MS,
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /bank: initialized 100 accounts/);
    assert.match(run.stdout, /total balance 100000 \(expected 100000\); acknowledged transfers missing: 0/);
    const total = /\n\s+[\d.]+s\s+(\d+)\s+(\d+)/.exec(run.stdout);
    assert.ok(total && Number(total[2]) > 0, 'some transfers went through');
  });

  it('crdb-studio node status prints cockroach node status columns', () => {
    const status = spawnSync(process.execPath, [cli, 'node', 'status', '--ranges', '--url', demo.url], {
      encoding: 'utf8',
      timeout: PATIENCE_MS,
    });
    assert.equal(status.status, 0, status.stderr);
    const header = status.stdout.split('\n')[0] ?? '';
    for (const column of [
      'id',
      'address',
      'sql_address',
      'build',
      'started_at',
      'updated_at',
      'locality',
      'is_available',
      'is_live',
      'replicas_leaders',
      'replicas_leaseholders',
      'ranges',
      'ranges_unavailable',
      'ranges_underreplicated',
    ]) {
      assert.match(header, new RegExp(`\\b${column}\\b`));
    }
    assert.match(status.stdout, /\(9 rows\)/);
  });
});

describe('simulated cluster: crdb-studio node decommission against a three-node demo', function () {
  this.timeout(2 * PATIENCE_MS);
  let demo: { child: ChildProcess; url: string };

  before(async () => {
    demo = await startDemo(['--nodes', '3']);
  });
  after(async () => {
    await stop(demo.child);
  });

  it("runs CockroachDB's pre-check: with replication factor 3 a third node cannot leave", () => {
    const run = spawnSync(process.execPath, [cli, 'node', 'decommission', '3', '--url', demo.url], {
      encoding: 'utf8',
      timeout: PATIENCE_MS,
    });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /ranges blocking decommission detected/);
    assert.match(run.stdout, /n3 has \d+ replicas blocked with error/);
    assert.match(run.stderr, /Cannot decommission nodes\./);
    // Refused, so nothing changed: node 3 is still an active member.
    const status = spawnSync(process.execPath, [cli, 'node', 'status', '--decommission', '--url', demo.url], {
      encoding: 'utf8',
      timeout: PATIENCE_MS,
    });
    assert.equal(status.status, 0, status.stderr);
    const row = status.stdout.split('\n').find((line) => /^\s*3\s*\|/.test(line)) ?? '';
    assert.match(row, /\|\s*active\s*\|/, status.stdout);
  });

  it('--dry-run reports readiness and changes nothing', () => {
    const run = spawnSync(process.execPath, [cli, 'node', 'decommission', '2', '--dry-run', '--checks=skip', '--url', demo.url], {
      encoding: 'utf8',
      timeout: PATIENCE_MS,
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /\bid\b.*\bis_live\b.*\breplicas\b.*\bis_decommissioning\b.*\bmembership\b/);
    const row = run.stdout.split('\n').find((line) => /^\s*2\s*\|/.test(line)) ?? '';
    assert.match(row, /\|\s*false\s*\|\s*active\s*\|/, run.stdout);
  });
});
