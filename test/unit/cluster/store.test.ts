// `crdb-studio demo --store <dir>`: the cluster keeps its data, schema and model on disk, and a
// kill -9 at any moment loses nothing it acknowledged. The demo runs as a child process, as a user
// runs it, and is killed with SIGKILL: no shutdown code of ours runs before the restart.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { checkBank, initBank, runBank, type SqlClient } from '../../../cluster/src/workload/bank';
import { PATIENCE_MS, until } from '../../support/patience';
import { repoRoot } from '../../support/tools';
import { seededRandom as random } from '../../support/random';

const cli = path.join(repoRoot, 'dist', 'cli', 'cli.js');

interface Demo {
  child: ChildProcess;
  url: string;
}

/** Starts `crdb-studio demo --store <store>` on free ports, once it says it is ready. */
function startDemo(store: string, args: string[] = []): Promise<Demo> {
  const child = spawn(process.execPath, [cli, 'demo', '--port', '0', '--store', store, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo did not start:\n${out}`));
    }, PATIENCE_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = out.includes('Press Ctrl-C');
      const start = out.indexOf('(sql)');
      if (!ready || start === -1) return;
      clearTimeout(timer);
      resolve({
        child,
        url:
          out
            .slice(start + '(sql)'.length)
            .trim()
            .split(/\s/)[0] ?? '',
      });
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code ?? 'signal'}:\n${out}`));
    });
  });
}

function killHard(demo: Demo): Promise<void> {
  return new Promise((resolve) => {
    if (demo.child.exitCode !== null || demo.child.signalCode !== null) {
      resolve();
      return;
    }
    demo.child.once('exit', () => {
      resolve();
    });
    demo.child.kill('SIGKILL');
  });
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  // A killed server drops the connection: the error belongs to the query that was running.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

async function rows(client: Client, sql: string): Promise<Record<string, unknown>[]> {
  return (await client.query<Record<string, unknown>>(sql)).rows;
}

/**
 * A bank client that records what the cluster acknowledged: a transfer counts once its COMMIT
 * returned, never before. The transfer's ID is the first value its INSERT into bank.transfers
 * writes (the workload writes it that way).
 */
class RecordingClient implements SqlClient {
  readonly acknowledged: number[] = [];
  private pending: number | undefined;

  constructor(private readonly client: Client) {}

  async query(sql: string): Promise<{ rows: Record<string, unknown>[] }> {
    const marker = 'INSERT INTO bank.transfers';
    const result = await this.client.query<Record<string, unknown>>(sql);
    if (sql.startsWith(marker)) {
      const values = sql.slice(sql.indexOf('VALUES (') + 'VALUES ('.length);
      this.pending = Number(values.slice(0, values.indexOf(',')));
    } else if (sql === 'COMMIT' && this.pending !== undefined) {
      this.acknowledged.push(this.pending);
      this.pending = undefined;
    } else if (sql === 'BEGIN' || sql === 'ROLLBACK') this.pending = undefined;
    return { rows: result.rows };
  }
}

describe('simulated cluster: demo --store keeps its data across kill -9', function () {
  this.timeout(12 * PATIENCE_MS);
  let store: string;
  let demo: Demo | undefined;

  beforeEach(() => {
    store = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-store-'));
  });

  afterEach(async () => {
    if (demo) await killHard(demo);
    demo = undefined;
    rmSync(store, { recursive: true, force: true });
  });

  it('finds schema, data, settings, zones and topology after a kill -9 and a restart', async () => {
    demo = await startDemo(store, ['--global']);
    const before = await connect(demo.url);
    await before.query('CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"');
    await before.query('USE shop');
    await before.query('CREATE TABLE items (id INT8 PRIMARY KEY, name STRING) LOCALITY REGIONAL BY ROW');
    await before.query('CREATE INDEX items_name ON items (name)');
    await before.query(`INSERT INTO items (id, name, crdb_region) VALUES (1, 'pen', 'us-west1'), (2, 'ink', 'europe-west1')`);
    await before.query('ALTER TABLE items CONFIGURE ZONE USING gc.ttlseconds = 600');
    await before.query(`SET CLUSTER SETTING server.time_until_store_dead = '1m15s'`);
    await before.query('\\demo add region=us-west1,az=d');
    await before.query('\\demo decommission 10');
    const rowid = await rows(before, 'SELECT unique_rowid() AS id');
    await killHard(demo);
    await before.end().catch(() => undefined);

    // Restarted without --global: the store's topology wins over the flags.
    demo = await startDemo(store);
    const after = await connect(demo.url);
    try {
      assert.deepEqual(await rows(after, 'SELECT id, name, crdb_region FROM shop.items ORDER BY id'), [
        { id: '1', name: 'pen', crdb_region: 'us-west1' },
        { id: '2', name: 'ink', crdb_region: 'europe-west1' },
      ]);
      // The hidden column stays hidden, the locality and the index are known.
      assert.deepEqual(Object.keys((await rows(after, 'SELECT * FROM shop.items'))[0] ?? {}), ['id', 'name']);
      const created = String((await rows(after, 'SHOW CREATE TABLE shop.items'))[0]?.create_statement);
      assert.ok(created.includes('LOCALITY REGIONAL BY ROW'), created);
      assert.ok(created.includes('items_name'), created);
      const regions = await rows(after, 'SHOW REGIONS FROM DATABASE shop');
      assert.deepEqual(regions.map((r) => r.region).sort(), ['europe-west1', 'us-east1', 'us-west1']);
      const zone = String((await rows(after, 'SHOW ZONE CONFIGURATION FROM TABLE shop.items'))[0]?.raw_config_sql);
      assert.ok(zone.includes('gc.ttlseconds = 600'), zone);
      // An INTERVAL, as CockroachDB shows duration settings (pg reads it into its parts).
      assert.deepEqual(JSON.parse(JSON.stringify(await rows(after, 'SHOW CLUSTER SETTING server.time_until_store_dead'))), [
        { 'server.time_until_store_dead': { minutes: 1, seconds: 15 } },
      ]);
      const nodes = await rows(after, 'SELECT node_id, locality, is_live FROM crdb_internal.gossip_nodes ORDER BY node_id');
      assert.equal(nodes.length, 10);
      const added = nodes[9];
      assert.ok(added);
      assert.equal(added.locality, 'region=us-west1,az=d');
      assert.notEqual(added.is_live, true);
      // unique_rowid() keeps increasing across the restart.
      const next = await rows(after, 'SELECT unique_rowid() AS id');
      assert.ok(BigInt(String(next[0]?.id)) > BigInt(String(rowid[0]?.id)));
      // New DDL works on the reopened catalog, and the old names are taken.
      await after.query('USE shop');
      await after.query('CREATE TABLE orders (id INT8 PRIMARY KEY) LOCALITY GLOBAL');
      await assert.rejects(after.query('CREATE TABLE items (id INT8 PRIMARY KEY)'), /already exists/);
    } finally {
      await after.end();
    }
  });

  const seed = 20_261_202;
  it(`loses no acknowledged transfer when killed at random moments under the bank workload (seed ${seed})`, async () => {
    const kills = 5;
    const accounts = 50;
    const next = random(seed);
    const acknowledged: number[] = [];
    demo = await startDemo(store);
    const setup = await connect(demo.url);
    await initBank(setup, { accounts });
    await setup.end();
    for (let round = 0; round < kills; round++) {
      const client = await connect(demo.url);
      const recording = new RecordingClient(client);
      // The workload only ends by the kill; ending sooner is a failure of its own, said as such.
      let stopped: string | undefined;
      const run = runBank(recording, { accounts, durationMs: Infinity, seed: seed + round }).then(
        (result) => (stopped ??= `it returned after ${result.transfers} transfers, ${result.errors} errors`),
        (error: unknown) => (stopped ??= error instanceof Error ? error.message : JSON.stringify(error)),
      );
      // A random moment: after a random number of acknowledged transfers, mid-transaction or not.
      const wanted = 1 + Math.floor(next() * 30);
      await until(() => {
        if (recording.acknowledged.length >= wanted) return true;
        if (stopped !== undefined) throw new Error(`the workload stopped before the kill in round ${round}: ${stopped}`);
        return false;
      }, `${wanted} acknowledged transfers in round ${round}`);
      await killHard(demo);
      await run;
      acknowledged.push(...recording.acknowledged);
      await client.end().catch(() => undefined);
      demo = await startDemo(store);
    }
    const check = await connect(demo.url);
    try {
      const result = await checkBank(check, acknowledged, { accounts });
      assert.ok(acknowledged.length >= kills, `${acknowledged.length} transfers acknowledged`);
      assert.deepEqual(result.missing, []);
      assert.equal(result.total, result.expectedTotal);
      // Every transfer present balances the books: none half-applied.
      const transfers = await rows(check, 'SELECT count(*)::INT8 AS n FROM bank.transfers');
      assert.ok(Number(transfers[0]?.n) >= acknowledged.length);
    } finally {
      await check.end();
    }
  });
});
