// Bad input never crashes or hangs the simulated cluster: random text, token soup and real
// CockroachDB statements cut at random points each get a result (an error is fine), and the
// session still answers afterwards.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Simulator } from '../../../cluster/src/simulator';
import type { Session } from '../../../cluster/src/sql/session';
import { corpusStatements } from '../../support/corpus';

const TOKENS = [
  'CREATE',
  'TABLE',
  'DATABASE',
  'SELECT',
  '*',
  'FROM',
  'WHERE',
  '(',
  ')',
  ',',
  ';',
  'INT',
  'STRING',
  'PRIMARY KEY',
  'LOCALITY',
  'REGIONAL BY ROW',
  'SHOW RANGES',
  'ALTER',
  'SURVIVE REGION FAILURE',
  "'x'",
  '"q"',
  '$$',
  '--',
  '/*',
  '\\demo',
  'UPSERT INTO',
  'VALUES',
  '1',
  'BEGIN',
  'COMMIT',
  'AS OF SYSTEM TIME',
  '[',
  ']',
  '::',
  'USING HASH',
];

describe('simulated cluster: bad input', function () {
  this.timeout(120_000);
  let simulator: Simulator;
  let session: Session;

  before(async () => {
    simulator = await Simulator.start({ global: true, lockWaitMs: 200 });
    session = simulator.openSession();
  });
  after(async () => {
    await simulator.close();
  });

  async function survives(sql: string): Promise<void> {
    const results = await session.execute(sql);
    assert.ok(results.length > 0, 'every query gets a result');
    for (const r of results) if (r.error) assert.ok(r.error.code.length === 5, `a SQLSTATE for ${JSON.stringify(sql)}: ${r.error.code}`);
    // Whatever happened, the session can be brought back and still answers.
    if (session.status !== 'I') await session.execute('ROLLBACK');
  }

  it('random strings and token soup get results, never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((t) => t.join(' ')),
        ),
        survives,
      ),
      { numRuns: 150, seed: 42 },
    );
    assert.deepEqual((await session.execute('SELECT 1 AS ok'))[0]?.rows, [['1']]);
  });

  it('real CockroachDB statements, whole and cut at random points, get results', async () => {
    const statements = corpusStatements();
    assert.equal(statements.length, 3871);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: statements.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (index, cut) => {
          const statement = statements[index] ?? '';
          await survives(statement);
          await survives(statement.slice(0, Math.floor(statement.length * cut)));
        },
      ),
      { numRuns: 120, seed: 7 },
    );
    assert.deepEqual((await session.execute('SELECT 1 AS ok'))[0]?.rows, [['1']]);
  });
});
