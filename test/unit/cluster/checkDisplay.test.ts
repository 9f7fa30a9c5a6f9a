// A CHECK expression as the engine deparses it, printed as CockroachDB prints the same constraint:
// for display (SHOW CREATE TABLE, the violation error) and for pg_catalog (SHOW CONSTRAINTS).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkExpressionText, checkOfDefinition, defaultExpressionText, writtenCheckText } from '../../../cluster/src/sql/checkDisplay';

const COLUMNS = new Map([
  ['a', 'INT8'],
  ['b', 'INT8'],
  ['small', 'INT2'],
  ['price', 'DECIMAL(10,2)'],
  ['ratio', 'FLOAT8'],
  ['state', 'STRING'],
  ['code', 'VARCHAR(8)'],
  ['born', 'DATE'],
]);

// [engine text, display, pg_catalog]
const CASES: [string, string, string][] = [
  ['(a > 0)', 'a > 0:::INT8', 'a > 0'],
  ['((a + b) > 0)', '(a + b) > 0:::INT8', '(a + b) > 0'],
  ["(b > '-100'::integer)", 'b > (-100):::INT8', 'b > -100'],
  ['(small < 10)', 'small < 10:::INT2', 'small < 10'],
  ['(price > (0)::numeric)', 'price > 0:::DECIMAL', 'price > 0'],
  ['(price < 9.5)', 'price < 9.5:::DECIMAL', 'price < 9.5'],
  ['(ratio >= (0)::double precision)', 'ratio >= 0.0:::FLOAT8', 'ratio >= 0.0'],
  [
    "(state = ANY (ARRAY['open'::text, 'closed'::text]))",
    "state IN ('open':::STRING, 'closed':::STRING)",
    "state IN ('open'::STRING, 'closed'::STRING)",
  ],
  ["(state <> ALL (ARRAY['gone'::text]))", "state NOT IN ('gone':::STRING)", "state NOT IN ('gone'::STRING)"],
  ["((code)::text <> ''::text)", "code != '':::STRING", "code != ''::STRING"],
  ["(state ~~ 'a%'::text)", "state LIKE 'a%':::STRING", "state LIKE 'a%'::STRING"],
  ["(born > '2000-01-01'::date)", "born > '2000-01-01':::DATE", "born > '2000-01-01'::DATE"],
  ['((a >= 1) AND (a <= 5))', '(a >= 1:::INT8) AND (a <= 5:::INT8)', '(a >= 1) AND (a <= 5)'],
  ['(NOT (a > 0))', 'NOT (a > 0:::INT8)', 'NOT (a > 0)'],
  ['(length(state) < 280)', 'length(state) < 280:::INT8', 'length(state) < 280'],
  ['(ROW(a, b) IS NOT NULL)', '(a, b) IS NOT NULL', '(a, b) IS NOT NULL'],
  ['(true AND (0 > 1))', 'true AND (0:::INT8 > 1:::INT8)', 'true AND (0 > 1)'],
  ["(state = 'it''s'::text)", "state = 'it''s':::STRING", "state = 'it''s'::STRING"],
  // Not read: shown as the engine wrote it, without its outer parentheses.
  [
    '(CASE WHEN (a > 0) THEN true ELSE false END)',
    'CASE WHEN (a > 0) THEN true ELSE false END',
    'CASE WHEN (a > 0) THEN true ELSE false END',
  ],
];

describe('CHECK expressions in CockroachDB’s words', () => {
  for (const [engine, display, catalog] of CASES) {
    it(`${engine} → ${display}`, () => {
      assert.equal(checkExpressionText(engine, COLUMNS, 'display'), display);
      assert.equal(checkExpressionText(engine, COLUMNS, 'pg-catalog'), catalog);
    });
  }

  it('prints a CHECK as written where the engine loses its form (BETWEEN), and gives up on a written cast', () => {
    assert.equal(writtenCheckText('a BETWEEN 1 AND 5', COLUMNS, 'display'), 'a BETWEEN 1:::INT8 AND 5:::INT8');
    assert.equal(writtenCheckText('a NOT BETWEEN 1 AND 5', COLUMNS, 'pg-catalog'), 'a NOT BETWEEN 1 AND 5');
    assert.equal(
      writtenCheckText("state in ('a', 'b') and born > '2000-01-01'", COLUMNS, 'display'),
      "(state IN ('a':::STRING, 'b':::STRING)) AND (born > '2000-01-01':::DATE)",
    );
    assert.equal(writtenCheckText('a::INT4 > 0', COLUMNS, 'display'), undefined);
  });

  it('prints a constant or clock DEFAULT with its type, and leaves other defaults to the engine’s text', () => {
    assert.equal(defaultExpressionText("'new'::text", 'STRING'), "'new':::STRING");
    assert.equal(defaultExpressionText('3', 'INT8'), '3:::INT8');
    assert.equal(defaultExpressionText('now()', 'TIMESTAMPTZ'), 'now():::TIMESTAMPTZ');
    assert.equal(defaultExpressionText('CURRENT_TIMESTAMP', 'TIMESTAMP'), 'current_timestamp():::TIMESTAMP');
    assert.equal(defaultExpressionText('false', 'BOOL'), 'false');
    assert.equal(defaultExpressionText('gen_random_uuid()', 'UUID'), undefined);
    assert.equal(defaultExpressionText("nextval('s'::regclass)", 'INT8'), undefined);
  });

  it('reads pg_get_constraintdef’s text: the expression and whether it is validated', () => {
    assert.deepEqual(checkOfDefinition('CHECK ((a > 0))'), { expression: '((a > 0))', validated: true });
    assert.deepEqual(checkOfDefinition('CHECK ((a > 0)) NOT VALID'), { expression: '((a > 0))', validated: false });
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        assert.equal(typeof checkExpressionText(text, COLUMNS, 'display'), 'string');
      }),
    );
  });
});
