// Statements that run a destructive statement without starting with it: EXPLAIN ANALYZE executes
// what it explains, and a data-modifying CTE or bracketed subquery runs its DELETE or UPDATE.
// Both must ask as the bare statement would; plain EXPLAIN only plans, so it need not.
import * as assert from 'node:assert/strict';
import { destructiveReason } from '../../../runner/src/statements';

describe('runner: destructive statements inside EXPLAIN ANALYZE and WITH', () => {
  const cases: [string, RegExp | undefined][] = [
    ['EXPLAIN ANALYZE DELETE FROM t', /^EXPLAIN ANALYZE runs the statement: DELETE without WHERE/],
    ['explain analyse update t set a = 1', /^EXPLAIN ANALYZE runs the statement: UPDATE without WHERE/],
    ['EXPLAIN ANALYZE (DEBUG) DELETE FROM t', /DELETE without WHERE/],
    ['EXPLAIN (ANALYZE, VERBOSE) UPDATE t SET a = 1', /UPDATE without WHERE/],
    ['EXPLAIN ANALYZE VERBOSE DELETE FROM t', /DELETE without WHERE/],
    ['EXPLAIN ANALYZE DROP TABLE t', /DROP TABLE removes the table/],
    ['EXPLAIN ANALYZE WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x', /DELETE without WHERE/],
    ['EXPLAIN ANALYZE DELETE FROM t WHERE id = 1', undefined],
    ['EXPLAIN ANALYZE SELECT * FROM t', undefined],
    ['EXPLAIN DELETE FROM t', undefined],
    ['EXPLAIN (VERBOSE) UPDATE t SET a = 1', undefined],
    ['EXPLAIN WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x', undefined],
    ['WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x', /^DELETE without WHERE/],
    ['WITH x AS (UPDATE t SET a = 1 RETURNING a), y AS (SELECT 1) SELECT * FROM x, y', /^UPDATE without WHERE/],
    ['WITH RECURSIVE x AS MATERIALIZED (DELETE FROM t RETURNING id) INSERT INTO log SELECT id FROM x', /DELETE without WHERE/],
    ['WITH a AS (WITH b AS (DELETE FROM t RETURNING *) SELECT * FROM b) SELECT * FROM a', /DELETE without WHERE/],
    ['SELECT * FROM [DELETE FROM t RETURNING id]', /DELETE without WHERE/],
    ['WITH x AS (DELETE FROM t WHERE id = 1 RETURNING *) SELECT * FROM x', undefined],
    ["WITH x AS (SELECT 'DELETE FROM t') SELECT * FROM x", undefined],
    ['WITH x AS (SELECT 1) SELECT * FROM x', undefined],
  ];
  for (const [statement, expected] of cases) {
    it(`${statement} → ${expected ? 'asks' : 'runs'}`, () => {
      const reason = destructiveReason(statement);
      if (expected) assert.match(reason ?? '(none)', expected);
      else assert.equal(reason, undefined);
    });
  }
});
