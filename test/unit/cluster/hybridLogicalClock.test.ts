// The simulated cluster's transaction times, as CockroachDB's hybrid logical clock gives them:
// every transaction its own time, later than every one before, whatever the engine's clock
// (which counts milliseconds) says. Reads AS OF SYSTEM TIME depend on it: a read at one
// transaction's time must never see a later transaction's writes, however fast they came.
import * as assert from 'node:assert/strict';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { exec, one, rows } from './sqlSupport';

describe('simulated cluster: the hybrid logical clock', function () {
  let simulator: Simulator;
  let session: Session;

  before(async () => {
    simulator = await Simulator.start();
    session = simulator.openSession();
    await exec(session, 'CREATE TABLE counter (id INT PRIMARY KEY, n INT)', 'INSERT INTO counter VALUES (1, 0)');
  });
  after(async () => {
    await simulator.close();
  });

  it('gives each transaction its own time, later than the last, even within one millisecond', async () => {
    const times: bigint[] = [];
    // Statements come back to back, many to a millisecond of the engine's clock.
    for (let i = 0; i < 40; i++) {
      const [row] = await rows(session, 'SELECT cluster_logical_timestamp()::STRING AS ts');
      times.push(BigInt(String(row?.ts).split('.')[0] ?? '0'));
    }
    times.forEach((time, i) => {
      const before = times[i - 1];
      if (before !== undefined) assert.ok(time > before, `transaction ${i}: ${time} after ${before}`);
    });
  });

  it('keeps one time for the whole of an explicit transaction', async () => {
    const results = await session.execute(
      'BEGIN; SELECT cluster_logical_timestamp()::STRING AS a; UPDATE counter SET n = n WHERE id = 1; SELECT cluster_logical_timestamp()::STRING AS b; COMMIT',
    );
    const [a, b] = results.filter((r) => r.rows.length === 1).map((r) => String(r.rows[0]?.[0]));
    assert.ok(a !== undefined && a === b, `${a} = ${b}`);
  });

  it('a read AS OF a transaction’s time sees that transaction and none after, with no pause between them', async () => {
    const seen: { ts: string; n: number }[] = [];
    for (let n = 1; n <= 40; n++) {
      const [row] = await rows(session, `UPDATE counter SET n = ${n} WHERE id = 1 RETURNING cluster_logical_timestamp()::STRING AS ts`);
      seen.push({ ts: String(row?.ts), n });
    }
    for (const { ts, n } of seen) {
      const past = await one(session, `SELECT n FROM counter AS OF SYSTEM TIME ${ts} WHERE id = 1`);
      assert.equal(past.error, undefined, past.error?.message);
      assert.deepEqual(past.rows, [[String(n)]], `as of the update to ${n}`);
    }
  });

  it("reads relative to now ('-1us') still see the last write, and a time just given is not in the future", async () => {
    const [row] = await rows(session, `UPDATE counter SET n = 100 WHERE id = 1 RETURNING cluster_logical_timestamp()::STRING AS ts`);
    assert.deepEqual((await one(session, `SELECT n FROM counter AS OF SYSTEM TIME '-1us' WHERE id = 1`)).rows, [['100']]);
    const atOnce = await one(session, `SELECT n FROM counter AS OF SYSTEM TIME ${String(row?.ts)} WHERE id = 1`);
    assert.equal(atOnce.error, undefined, atOnce.error?.message);
    assert.deepEqual(atOnce.rows, [['100']]);
  });
});
