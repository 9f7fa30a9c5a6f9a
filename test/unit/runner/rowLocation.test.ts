// Where a REGIONAL BY ROW row lives: the statement built from what was typed, SHOW RANGE … FOR ROW
// against the simulated cluster over its wire protocol, and the latency a read and a write from
// each region would pay (from the latency table, here `cockroach demo --global`'s).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Client } from 'pg';
import { rttMs } from '../../../cluster/src/model/topology';
import { Simulator } from '../../../cluster/src/simulator';
import { WireServer } from '../../../cluster/src/wire/server';
import type { RegionRtt } from '../../../protocol/src/topologyStory';
import {
  keyLiterals,
  locateRow,
  rowLatencies,
  RowLocationError,
  rttLookup,
  showRangeForRowSql,
} from '../../../runner/src/topology/rowLocation';
import type { QueryFn } from '../../../runner/src/topology/reader';

const REGIONS = ['us-east1', 'us-west1', 'europe-west1'];

function demoLinks(): RegionRtt[] {
  return REGIONS.flatMap((from) => REGIONS.map((to) => ({ from, to, rttMs: rttMs(from, to) })));
}

describe('row location', () => {
  it('builds SHOW RANGE … FOR ROW from a region and typed key values, quoting what is not a literal', () => {
    assert.deepEqual(keyLiterals("42, 'a,b', -7, 5e4b2d9c-0000-4000-8000-000000000001, o'brien"), [
      '42',
      "'a,b'",
      '-7',
      "'5e4b2d9c-0000-4000-8000-000000000001'",
      "'o''brien'",
    ]);
    assert.equal(showRangeForRowSql('movr', 'users', 'us-west1', '2'), `SHOW RANGE FROM TABLE movr.public.users FOR ROW ('us-west1', 2)`);
    assert.equal(showRangeForRowSql('my db', 'app.t', undefined, 'x'), `SHOW RANGE FROM TABLE "my db".app.t FOR ROW ('x')`);
  });

  it('a typed key never escapes its literal (property)', () => {
    fc.assert(
      fc.property(fc.string(), (typed) => {
        for (const literal of keyLiterals(typed)) {
          // A number as the lexer read it, or a string literal whose quotes inside are all doubled.
          const number = /^-?[0-9.][0-9a-zA-Z.+_-]*$/.test(literal);
          const quoted =
            literal.length >= 2 &&
            literal.startsWith("'") &&
            literal.endsWith("'") &&
            !literal.slice(1, -1).replaceAll("''", '').includes("'");
          if (!number && !quoted) return false;
        }
        return true;
      }),
    );
  });

  it('read: gateway → leaseholder; write: plus the leaseholder’s round trip to a quorum of voters', () => {
    // A us-east1 row with zone survival: 3 voters in us-east1, non-voters in the other regions.
    const replicas = [
      { nodeId: 1, region: 'us-east1', voter: true },
      { nodeId: 2, region: 'us-east1', voter: true },
      { nodeId: 3, region: 'us-east1', voter: true },
      { nodeId: 4, region: 'us-west1', voter: false },
      { nodeId: 7, region: 'europe-west1', voter: false },
    ];
    const rtt = rttLookup(demoLinks());
    assert.deepEqual(rowLatencies(REGIONS, replicas, 2, rtt), [
      { region: 'us-east1', readMs: 1, followerReadMs: 1, writeMs: 2 },
      { region: 'us-west1', readMs: 66, followerReadMs: 1, writeMs: 67 },
      { region: 'europe-west1', readMs: 64, followerReadMs: 1, writeMs: 65 },
    ]);
    // Region survival: 5 voters over 3 regions; the quorum (3 of 5) needs a second region.
    const spread = [
      { nodeId: 1, region: 'us-east1', voter: true },
      { nodeId: 2, region: 'us-east1', voter: true },
      { nodeId: 4, region: 'us-west1', voter: true },
      { nodeId: 5, region: 'us-west1', voter: true },
      { nodeId: 7, region: 'europe-west1', voter: true },
    ];
    assert.deepEqual(rowLatencies(['us-west1'], spread, 1, rtt), [{ region: 'us-west1', readMs: 66, followerReadMs: 1, writeMs: 66 + 64 }]);
    // An unknown round trip leaves the figure out rather than guessing it.
    assert.deepEqual(rowLatencies(['asia-east1'], spread, 1, rttLookup([])), [{ region: 'asia-east1' }]);
  });

  describe('against the simulated cluster', function () {
    this.timeout(120_000);
    let sim: Simulator;
    let server: WireServer;
    let client: Client;
    let query: QueryFn;

    before(async () => {
      sim = await Simulator.start({ global: true });
      server = await WireServer.start(sim, { port: 0 });
      client = new Client({ host: '127.0.0.1', port: server.port(1), user: 'root', database: 'defaultdb' });
      await client.connect();
      query = async (sql) => {
        const result = await client.query<(string | null)[]>({
          text: sql,
          rowMode: 'array',
          types: { getTypeParser: () => (v: string) => v },
        });
        return { columns: result.fields.map((f) => f.name), rows: result.rows };
      };
      for (const sql of [
        'CREATE DATABASE movr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"',
        'USE movr',
        'CREATE TABLE users (id INT PRIMARY KEY, name STRING) LOCALITY REGIONAL BY ROW',
        "INSERT INTO users (id, name, crdb_region) VALUES (1, 'ann', 'us-east1'), (2, 'bo', 'us-west1')",
      ])
        await client.query(sql);
    });
    after(async () => {
      await client.end();
      await server.close();
      await sim.close();
    });

    const context = () => ({
      regions: REGIONS,
      partitions: ['europe-west1', 'us-east1', 'us-west1'],
      nodes: [],
      latency: { source: 'simulated' as const, links: demoLinks() },
    });

    it('answers with CockroachDB’s columns, and the range is homed in the row’s region', async () => {
      const result = await query(`SHOW RANGE FROM TABLE movr.users FOR ROW ('us-west1', 2)`);
      assert.deepEqual(result.columns, [
        'start_key',
        'end_key',
        'range_id',
        'lease_holder',
        'lease_holder_locality',
        'replicas',
        'replica_localities',
        'voting_replicas',
        'non_voting_replicas',
      ]);
      const [location] = await locateRow(query, { database: 'movr', table: 'users', region: 'us-west1', key: '2' }, context());
      assert.ok(location);
      assert.equal(location.statement, `SHOW RANGE FROM TABLE movr.public.users FOR ROW ('us-west1', 2)`);
      assert.match(location.leaseholderLocality ?? '', /^region=us-west1,/);
      // Zone survival: the voters are the home region's three nodes.
      assert.deepEqual(location.voters, [4, 5, 6]);
      const west = location.latencies.find((l) => l.region === 'us-west1');
      const east = location.latencies.find((l) => l.region === 'us-east1');
      assert.deepEqual(west, { region: 'us-west1', readMs: 1, followerReadMs: 1, writeMs: 2 });
      assert.deepEqual(east, { region: 'us-east1', readMs: 66, followerReadMs: 1, writeMs: 67 });
    });

    it('without a region: the key’s range in each partition (the row is in only one of them)', async () => {
      const locations = await locateRow(query, { database: 'movr', table: 'users', key: '1' }, context());
      assert.deepEqual(
        locations.map((l) => [l.region, (l.leaseholderLocality ?? '').split(',')[0]]),
        [
          ['europe-west1', 'region=europe-west1'],
          ['us-east1', 'region=us-east1'],
          ['us-west1', 'region=us-west1'],
        ],
      );
      assert.equal(new Set(locations.map((l) => l.rangeId)).size, 3);
    });

    it('says what went wrong in words: nothing typed, an unknown table', async () => {
      await assert.rejects(locateRow(query, { database: 'movr', table: 'users', key: ' ' }, context()), RowLocationError);
      await assert.rejects(
        locateRow(query, { database: 'movr', table: 'nope', region: 'us-east1', key: '1' }, context()),
        (error: Error) => error instanceof RowLocationError && /nope/.test(error.message),
      );
    });
  });
});
