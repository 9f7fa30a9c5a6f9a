// Range sizes cost a scan of each table measured: a statement has the tables it changed measured
// again, no others, and introspection shows what re-measuring every table would show.
import * as assert from 'node:assert/strict';
import { Simulator } from '../../../cluster/src/simulator';
import { exec, rows } from './sqlSupport';

/** Names of the tables measured while `run` runs. */
async function measuredDuring(simulator: Simulator, run: () => Promise<void>): Promise<string[]> {
  const names: string[] = [];
  simulator.measurements.onMeasured = (table) => names.push(table.name);
  try {
    await run();
  } finally {
    simulator.measurements.onMeasured = undefined;
  }
  return names;
}

describe('simulated cluster: table measurements', function () {
  this.timeout(120_000);

  it('a one-row INSERT into a new table measures that table only, however large another is', async () => {
    const simulator = await Simulator.start({ nodes: 3 });
    try {
      const session = simulator.openSession();
      await exec(
        session,
        'CREATE TABLE big (id INT PRIMARY KEY, pad STRING)',
        `INSERT INTO big SELECT i, repeat('x', 100) FROM generate_series(1, 2000) AS g(i)`,
      );
      const bigBefore = await rows(session, 'SHOW RANGES FROM TABLE big WITH DETAILS');
      const measured = await measuredDuring(simulator, async () => {
        await exec(session, 'CREATE TABLE tiny (id INT PRIMARY KEY)', 'INSERT INTO tiny VALUES (1)');
        await rows(session, 'SHOW RANGES FROM TABLE tiny WITH DETAILS');
      });
      assert.ok(measured.length > 0, 'tiny is measured');
      assert.deepEqual([...new Set(measured)], ['tiny']);
      assert.deepEqual(await rows(session, 'SHOW RANGES FROM TABLE big WITH DETAILS'), bigBefore);
    } finally {
      await simulator.close();
    }
  });

  it('a script of N × (CREATE TABLE; INSERT) measures each table a bounded number of times', async () => {
    const simulator = await Simulator.start({ nodes: 3 });
    try {
      const session = simulator.openSession();
      const n = 12;
      const script = Array.from({ length: n }, (_, i) => `CREATE TABLE t${i} (id INT PRIMARY KEY); INSERT INTO t${i} VALUES (1);`).join(
        '\n',
      );
      const measured = await measuredDuring(simulator, async () => {
        const results = await session.execute(script);
        assert.equal(results.length, 2 * n);
        for (const result of results) assert.equal(result.error, undefined, result.error?.message);
        await rows(session, 'SHOW RANGES');
      });
      const perTable = new Map<string, number>();
      for (const name of measured) perTable.set(name, (perTable.get(name) ?? 0) + 1);
      assert.equal(perTable.size, n, 'every table is measured');
      // Once when its INSERT first needs its ranges, once after the INSERT changed it.
      for (const [name, times] of perTable) assert.ok(times <= 2, `${name} measured ${times} times`);
      assert.ok(measured.length <= 2 * n, `${measured.length} measurements for ${n} tables (re-measuring all: ${(n * (n + 1)) / 2})`);
    } finally {
      await simulator.close();
    }
  });

  it('a rolled-back write has its table measured again', async () => {
    const simulator = await Simulator.start({ nodes: 3 });
    try {
      const session = simulator.openSession();
      await exec(session, 'CREATE TABLE t (id INT PRIMARY KEY, pad STRING)', 'CREATE TABLE other (id INT PRIMARY KEY)');
      await rows(session, 'SHOW RANGES');
      await exec(session, 'BEGIN', `INSERT INTO t VALUES (1, 'x'), (2, 'y')`);
      await rows(session, 'SHOW RANGES FROM TABLE t WITH DETAILS');
      const measured = await measuredDuring(simulator, async () => {
        await exec(session, 'ROLLBACK');
        await rows(session, 'SHOW RANGES FROM TABLE t WITH DETAILS');
      });
      assert.deepEqual(measured, ['t'], 'what the transaction wrote, measured inside it, is measured again');
      const [after] = await rows(session, 'SHOW RANGES FROM TABLE t WITH DETAILS');
      simulator.dataChanged('all');
      const [remeasured] = await rows(session, 'SHOW RANGES FROM TABLE t WITH DETAILS');
      assert.deepEqual(after, remeasured);
    } finally {
      await simulator.close();
    }
  });

  it('a query that writes through a WITH clause has its tables measured again; a row lock does not', async () => {
    const simulator = await Simulator.start({ nodes: 3 });
    try {
      const session = simulator.openSession();
      await exec(
        session,
        'CREATE TABLE t (id INT PRIMARY KEY)',
        'CREATE TABLE other (id INT PRIMARY KEY)',
        'INSERT INTO t VALUES (1), (2)',
      );
      await rows(session, 'SHOW RANGES');
      const locked = await measuredDuring(simulator, async () => {
        await rows(session, 'SELECT * FROM t WHERE id = 1 FOR UPDATE');
        await rows(session, 'SHOW RANGES');
      });
      assert.deepEqual(locked, []);
      const written = await measuredDuring(simulator, async () => {
        await rows(session, 'WITH gone AS (DELETE FROM t WHERE id = 1 RETURNING id) SELECT count(*) FROM gone');
        await rows(session, 'SHOW RANGES');
      });
      assert.ok(written.includes('t'), `measured: ${written.join(', ')}`);
    } finally {
      await simulator.close();
    }
  });

  it('introspection shows what re-measuring every table shows', async () => {
    const steps: string[][] = [
      ['CREATE DATABASE mr PRIMARY REGION "us-east1" REGIONS "us-west1", "europe-west1"', 'USE mr'],
      [
        'CREATE TABLE a (id INT PRIMARY KEY, pad STRING) LOCALITY REGIONAL BY ROW',
        `INSERT INTO a (id, pad, crdb_region) VALUES (1, 'x', 'us-west1'), (2, 'y', 'europe-west1'), (3, 'z', 'us-east1')`,
        `INSERT INTO a (id, pad, crdb_region) SELECT i, repeat('x', 200), 'us-west1' FROM generate_series(10, 700) AS g(i)`,
      ],
      ['CREATE TABLE b (id INT PRIMARY KEY, v INT)', 'INSERT INTO b VALUES (1, 1), (2, 2)'],
      ['CREATE INDEX ON a (pad)'],
      [`UPDATE a SET pad = repeat('y', 300) WHERE id <= 100`, 'DELETE FROM b WHERE id = 1'],
      [`INSERT INTO a (id, pad, crdb_region) VALUES (5000, 'w', 'europe-west1')`],
      ['ALTER TABLE b SET LOCALITY REGIONAL BY ROW', `INSERT INTO b (id, v, crdb_region) VALUES (5, 5, 'europe-west1')`],
      ['UPSERT INTO b (id, v) VALUES (2, 20), (6, 6)', 'CREATE TABLE c (id INT PRIMARY KEY)', 'INSERT INTO c VALUES (1)'],
      ['ALTER TABLE a RENAME TO a2', 'INSERT INTO c VALUES (2)'],
      ['DROP TABLE b', "INSERT INTO a2 (id, pad) VALUES (6000, repeat('q', 500))"],
    ];
    const introspection = ['SHOW RANGES FROM DATABASE mr WITH DETAILS', 'SELECT * FROM crdb_internal.ranges ORDER BY range_id'];
    const run = async (measureEveryTable: boolean): Promise<{ shown: unknown[]; count: number }> => {
      const simulator = await Simulator.start({ global: true, seed: 3, rangeMaxBytes: 64 * 1024, measureEveryTable });
      try {
        const session = simulator.openSession();
        const shown: unknown[] = [];
        for (const step of steps) {
          await exec(session, ...step);
          for (const sql of introspection) shown.push(await rows(session, sql));
        }
        return { shown, count: simulator.measurements.count };
      } finally {
        await simulator.close();
      }
    };
    const perTable = await run(false);
    const everyTable = await run(true);
    assert.deepEqual(perTable.shown, everyTable.shown);
    assert.ok(perTable.count < everyTable.count, `${perTable.count} measurements, against ${everyTable.count}`);
    const splits = (perTable.shown[2] as unknown[]).length;
    assert.ok(splits > 3, `the large table split (${splits} ranges)`);
  });
});
