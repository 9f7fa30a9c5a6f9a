// Statement splitting, destructive-statement detection and error positions: plain text, no server.
import * as assert from 'node:assert/strict';
import { errorLocation } from '../../../runner/src/position';
import { destructiveReason, producesRows, statementAt, statementsIn } from '../../../runner/src/statements';

describe('runner: statements in a text', () => {
  const text = [
    '-- setup',
    "INSERT INTO t VALUES ('a;b'); /* c; d */",
    '',
    '  SELECT $$x;y$$',
    '    FROM t;',
    '\\demo ls',
    '-- only a comment;',
    'SELECT 2 -- trailing',
  ].join('\n');

  it('finds each statement with its source offsets, skipping comment-only pieces', () => {
    const found = statementsIn(text);
    assert.deepEqual(
      found.map((s) => s.text),
      ["INSERT INTO t VALUES ('a;b');", 'SELECT $$x;y$$\n    FROM t;', '\\demo ls', 'SELECT 2'],
    );
    for (const statement of found) assert.equal(text.slice(statement.start, statement.end), statement.text);
    assert.equal(found[0]?.start, text.indexOf('INSERT'));
    assert.equal(found[3]?.start, text.lastIndexOf('SELECT 2'));
  });

  it('finds the statements of a selection, with offsets in the whole text', () => {
    const from = text.indexOf('SELECT $$');
    const to = text.indexOf('-- only');
    const found = statementsIn(text, from, to);
    assert.deepEqual(
      found.map((s) => [s.text, s.start]),
      [
        ['SELECT $$x;y$$\n    FROM t;', from],
        ['\\demo ls', text.indexOf('\\demo')],
      ],
    );
  });

  it('picks the statement at the cursor, or the one just finished on the same line', () => {
    assert.equal(statementAt(text, text.indexOf('FROM t'))?.text, 'SELECT $$x;y$$\n    FROM t;');
    assert.equal(statementAt(text, text.indexOf('/* c'))?.text, "INSERT INTO t VALUES ('a;b');");
    assert.equal(statementAt(text, text.indexOf('-- only') + 3), undefined);
    assert.equal(statementAt(text, text.length)?.text, 'SELECT 2');
  });

  it('knows which statements return rows', () => {
    assert.equal(producesRows('SELECT 1'), true);
    assert.equal(producesRows('WITH x AS (SELECT 1) SELECT * FROM x'), true);
    assert.equal(producesRows('SHOW REGIONS FROM CLUSTER'), true);
    assert.equal(producesRows('INSERT INTO t VALUES (1) RETURNING id'), true);
    assert.equal(producesRows("INSERT INTO t VALUES ('returning')"), false);
    assert.equal(producesRows('CREATE TABLE t (id INT)'), false);
    assert.equal(producesRows('\\demo ls'), false);
  });
});

describe('runner: destructive statements', () => {
  const cases: [string, RegExp | undefined][] = [
    ['DROP TABLE accounts', /^DROP TABLE removes the table and its data$/],
    ['drop table if exists a, b cascade', /^DROP TABLE/],
    ['DROP DATABASE bank CASCADE', /^DROP DATABASE removes the database/],
    ['DROP INDEX accounts@by_name', /^DROP INDEX/],
    ['DROP MATERIALIZED VIEW v', /^DROP MATERIALIZED VIEW/],
    ['TRUNCATE accounts', /^TRUNCATE deletes every row/],
    ['DELETE FROM accounts', /^DELETE without WHERE/],
    ['DELETE FROM t -- WHERE id = 1', /^DELETE without WHERE/],
    ['DELETE FROM t WHERE id IN (SELECT id FROM u WHERE x)', undefined],
    ['DELETE FROM t USING (SELECT 1 WHERE true) AS s', /^DELETE without WHERE/],
    ['UPDATE t SET a = 1', /^UPDATE without WHERE/],
    ["UPDATE t SET a = 'where'", /^UPDATE without WHERE/],
    ['UPDATE t SET a = 1 WHERE id = 2', undefined],
    ['WITH old AS (SELECT id FROM t WHERE x) DELETE FROM t', /^DELETE without WHERE/],
    ['WITH old AS (SELECT 1) DELETE FROM t WHERE id = 1', undefined],
    ['ALTER TABLE t DROP COLUMN c', /^ALTER TABLE … DROP COLUMN removes the column and its data$/],
    ['ALTER TABLE t DROP c', /DROP COLUMN/],
    ['ALTER TABLE t DROP CONSTRAINT c_fk', /DROP CONSTRAINT removes the constraint/],
    ['ALTER DATABASE bank DROP REGION "us-west1"', /^ALTER DATABASE … DROP REGION removes the region/],
    ['ALTER TABLE t ALTER COLUMN c DROP NOT NULL', undefined],
    ['ALTER TABLE t ALTER COLUMN c DROP DEFAULT', undefined],
    ['ALTER TABLE t ADD COLUMN drop_at TIMESTAMP', undefined],
    ['SELECT * FROM t', undefined],
    ["SELECT 'DROP TABLE t'", undefined],
    ['INSERT INTO t VALUES (1)', undefined],
    ['/* DROP TABLE t */ SELECT 1', undefined],
  ];
  for (const [statement, expected] of cases) {
    it(`${statement} → ${expected ? 'destructive' : 'safe'}`, () => {
      const reason = destructiveReason(statement);
      if (expected) assert.match(reason ?? '(none)', expected);
      else assert.equal(reason, undefined);
    });
  }
});

describe('runner: error positions in the source', () => {
  it('maps a 1-based character position in a statement to the line and column in the file', () => {
    const source = 'SELECT 1;\n-- note\nSELECT\n  nope\nFROM t;';
    const statement = statementsIn(source)[1];
    assert.ok(statement);
    const position = statement.text.indexOf('nope') + 1;
    assert.deepEqual(errorLocation(source, statement.start, statement.text, position), { line: 4, column: 3 });
  });

  it('counts code points as the server does, and columns in UTF-16 units as editors do', () => {
    const source = "SELECT '😀', nope";
    // The server counts the emoji as one character: `nope` is at character 13.
    assert.deepEqual(errorLocation(source, 0, source, 13), { line: 1, column: 14 });
  });

  it('does not count the EXPLAIN the EXPLAIN command puts before the statement (the mark was 8 columns right)', () => {
    const source = 'SELECT 1;\nSELECT nope FROM t;';
    const statement = statementsIn(source)[1];
    assert.ok(statement);
    const sent = `EXPLAIN ${statement.text}`;
    // The server reports `nope` at character 16 of what it was sent; in the file it is column 8.
    const position = sent.indexOf('nope') + 1;
    assert.equal(position, 16);
    assert.deepEqual(errorLocation(source, statement.start, sent, position, 'EXPLAIN '.length), { line: 2, column: 8 });
    // Without a position: the statement's first character, not the prefix.
    assert.deepEqual(errorLocation(source, statement.start, sent, undefined, 'EXPLAIN '.length), { line: 2, column: 1 });
    // A position inside the prefix itself (EXPLAIN's own syntax) points at the statement's start.
    assert.deepEqual(errorLocation(source, statement.start, sent, 3, 'EXPLAIN '.length), { line: 2, column: 1 });
  });

  it('without a position points at the first character of the statement', () => {
    const source = 'SELECT 1;\n\n   SELECT 2;';
    const statement = statementsIn(source)[1];
    assert.ok(statement);
    assert.deepEqual(errorLocation(source, statement.start, statement.text), { line: 3, column: 4 });
    assert.deepEqual(errorLocation(source, 9, source.slice(9)), { line: 3, column: 4 });
  });
});
