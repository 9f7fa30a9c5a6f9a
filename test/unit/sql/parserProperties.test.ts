// Property tests for the parser's tolerance and the statement splitters' boundaries, on real
// statements (the CockroachDB corpus) and on the forms migrations write: any prefix, any cut,
// any stray token inserted gives a tree and errors inside the text — never an exception — and
// a SQL function's body (BEGIN ATOMIC … END, or dollar-quoted) is never split.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { lex, lexStatement, type Token } from '../../../sql/src/lexer';
import { parseDocument } from '../../../sql/src/parser';
import { splitStatements } from '../../../sql/src/splitter';
import { statementRanges } from '../../../sql/src/statementRanges';
import { corpusStatements } from '../../support/corpus';

/** Statements of the shapes real migrations write (written for these tests). */
const MIGRATION_FORMS = [
  'CREATE TABLE identity_codes (id UUID NOT NULL PRIMARY KEY, used_at timestamp NULL DEFAULT NULL, identity_id UUID NOT NULL REFERENCES identities (id) ON DELETE CASCADE, CONSTRAINT fk_nid FOREIGN KEY (nid) REFERENCES networks (id))',
  'ALTER TABLE sessions RENAME COLUMN nid TO network_id, ALTER COLUMN expires_at SET DATA TYPE TIMESTAMPTZ USING expires_at::TIMESTAMPTZ',
  'ALTER TABLE flows DROP CONSTRAINT IF EXISTS flows_nid_fk, ADD CONSTRAINT flows_nid_fk FOREIGN KEY (nid) REFERENCES networks (id) ON UPDATE RESTRICT ON DELETE CASCADE',
  "ALTER TABLE t ADD COLUMN IF NOT EXISTS region crdb_internal_region AS (CASE WHEN state IS NULL THEN 'us-east1' ELSE 'us-west1' END) STORED",
  'ALTER INDEX IF EXISTS t@t_nid_idx RENAME TO t_nid_idx_deleteme',
  'CREATE INDEX IF NOT EXISTS t_id_nid_idx ON t (id, nid) USING HASH WITH (bucket_count = 8) STORING (name) WHERE deleted_at IS NULL',
  'CREATE TABLE child (a INT, b INT, PRIMARY KEY (a, b), INDEX (b) INTERLEAVE IN PARENT parent (b)) INTERLEAVE IN PARENT parent (a)',
  'DELETE FROM "db"."public"."t"@{NO_FULL_SCAN} WHERE (a, b) IN (($1::STRING, $2::INT8))',
  "ALTER USER 'app' WITH PASSWORD 'secret'",
  'CREATE FUNCTION f(a INT) RETURNS INT LANGUAGE SQL BEGIN ATOMIC SELECT a; SELECT a + 1; END',
];

const SQL_PIECES = [
  '(',
  ')',
  ',',
  ';',
  'NULL',
  'DEFAULT',
  'END',
  'BEGIN',
  'ATOMIC',
  '@',
  '{',
  '}',
  "'x'",
  '$$',
  'CASE',
  'REFERENCES',
  '[',
  ']',
  '::',
];

/** Parses and checks the result: a statement per range, errors inside the text. */
function parsesTolerantly(text: string): void {
  const document = parseDocument(text);
  for (const statement of document.statements) {
    assert.ok(statement.start <= statement.end);
    for (const error of statement.errors) {
      assert.ok(error.start >= 0 && error.end <= text.length && error.start <= error.end, JSON.stringify({ text, error }));
      assert.ok(error.message.length > 0);
      // The parser catches its own exceptions and reports them this way: none may happen.
      assert.ok(!error.message.startsWith('internal parser error'), JSON.stringify({ text, error }));
    }
  }
}

/** Both splitters draw the same statements (by their token counts, comments aside). */
function splittersAgree(text: string): void {
  const { tokens } = lex(text);
  const fromTokens = splitStatements(tokens).map((range) => range.to - range.from);
  const fromText = statementRanges(text)
    .map((range) => lex(text.slice(range.start, range.end)).tokens.filter((t) => !(t.kind === 'punct' && t.value === ';')).length)
    .filter((count) => count > 0);
  const tokenCounts = fromTokens.map((count, i) => {
    const range = splitStatements(tokens)[i];
    // Inner semicolons of a body are tokens of the statement; the splitter's own `;` is not.
    return range ? count - tokens.slice(range.from, range.to).filter((t) => t.kind === 'punct' && t.value === ';').length : count;
  });
  assert.deepEqual(fromText, tokenCounts, JSON.stringify(text));
  statementLexerAgrees(text);
}

/**
 * Reading a text statement by statement (lexStatement, the CLI's way) gives the text scanner's
 * ranges, and in each the tokens and comments of the whole text's lexing there.
 */
function statementLexerAgrees(text: string): void {
  const whole = lex(text);
  const ranges: { start: number; end: number }[] = [];
  for (let range = lexStatement(text, 0); range; range = lexStatement(text, range.end)) {
    const { start, end } = range;
    ranges.push({ start, end });
    const placed = (tokens: Token[]) => tokens.map((token) => ({ ...token, start: token.start + start, end: token.end + start }));
    const inRange = (token: Token) => token.start >= start && token.end <= end;
    assert.deepEqual(placed(range.tokens), whole.tokens.filter(inRange), JSON.stringify({ text, start }));
    assert.deepEqual(placed(range.comments), whole.comments.filter(inRange), JSON.stringify({ text, start }));
  }
  assert.deepEqual(ranges, statementRanges(text), JSON.stringify(text));
}

describe('parser properties (fast-check)', () => {
  let corpus: string[] = [];
  before(() => {
    corpus = [...corpusStatements(), ...MIGRATION_FORMS];
  });

  it('parses the migration forms without a syntax error', () => {
    for (const sql of MIGRATION_FORMS) {
      const statements = parseDocument(sql).statements;
      assert.equal(statements.length, 1, sql);
      assert.deepEqual(statements[0]?.errors, [], sql);
    }
  });

  it('any prefix of a real statement parses tolerantly, both splitters agreeing', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (pick, cut) => {
        const statement = corpus[pick % corpus.length] ?? '';
        const prefix = statement.slice(0, cut % (statement.length + 1));
        parsesTolerantly(prefix);
        splittersAgree(prefix);
      }),
      { numRuns: 1500 },
    );
  });

  it('a random piece of SQL inserted anywhere in a real statement parses tolerantly', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.constantFrom(...SQL_PIECES), (pick, at, piece) => {
        const statement = corpus[pick % corpus.length] ?? '';
        const where = at % (statement.length + 1);
        const text = `${statement.slice(0, where)} ${piece} ${statement.slice(where)}`;
        parsesTolerantly(text);
        splittersAgree(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('a real statement with a random span cut out parses tolerantly', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), (pick, from, length) => {
        const statement = corpus[pick % corpus.length] ?? '';
        const start = from % (statement.length + 1);
        const text = statement.slice(0, start) + statement.slice(start + (length % 40));
        parsesTolerantly(text);
        splittersAgree(text);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('statement splitting properties (fast-check)', () => {
  /** Body statements: semicolons, strings, comments and dollar quotes inside, no END keyword. */
  const bodyStatement = fc.constantFrom(
    'SELECT 1',
    "INSERT INTO t VALUES ('a;b')",
    'UPDATE t SET a = $$x; END$$',
    "DELETE FROM t WHERE a = 'end;'",
    'SELECT a /* ; END */ FROM t',
    'SELECT "end" FROM t -- ; end\n',
    'SELECT b FROM u WHERE c IN (SELECT d FROM v)',
  );
  const around = fc.array(fc.constantFrom('SELECT 1', 'CREATE TABLE t (id INT PRIMARY KEY)', 'BEGIN', 'COMMIT', 'END'), { maxLength: 3 });

  it('never splits inside a BEGIN ATOMIC … END body', () => {
    fc.assert(
      fc.property(around, fc.array(bodyStatement, { minLength: 1, maxLength: 6 }), around, (before, body, after) => {
        const fn = `CREATE FUNCTION f() RETURNS INT LANGUAGE SQL BEGIN ATOMIC ${body.map((s) => `${s};`).join(' ')} END`;
        const text = [...before, fn, ...after].map((s) => `${s};`).join('\n');
        const expected = [...before, fn, ...after];
        const { tokens } = lex(text);
        assert.deepEqual(
          splitStatements(tokens).map((range) => text.slice(tokens[range.from]?.start, tokens[range.to - 1]?.end)),
          expected,
        );
        assert.deepEqual(
          statementRanges(text).map((range) => text.slice(range.start, range.end).trim().replace(/;$/, '')),
          expected,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('reads several statements one by one as the scanner splits them: comments, lone semicolons, shell commands, bodies', () => {
    const piece = fc.constantFrom(
      'SELECT 1',
      'CREATE TABLE t (a INT)',
      ';',
      ' ',
      '\n',
      '-- note\n',
      '/* c; */',
      '\\demo ls',
      "'a;b'",
      'BEGIN',
      'ATOMIC',
      'END',
      ' $$;$$',
      '"q;"',
      // These two after a space: right after a number (1e'…', 1$$…) the scanner and the lexer read them apart.
      " e'x\\';'",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }), (pieces) => {
        statementLexerAgrees(pieces.join(''));
      }),
      { numRuns: 3000 },
    );
    // A backslash after a statement on the same line is no shell command (the scanner's reading).
    statementLexerAgrees('SELECT 1; \\demo ls\nSELECT 2;');
    assert.deepEqual(
      [lexStatement('SELECT 1; \\demo ls\n', 9)?.tokens[0]?.kind, lexStatement('SELECT 1;\n\\demo ls\n', 9)?.tokens[0]?.kind],
      ['invalid', 'command'],
    );
  });

  it('never splits inside a dollar-quoted body, whatever it holds', () => {
    const bodyText = fc
      .array(fc.constantFrom('BEGIN', 'ATOMIC', 'END', ';', "'", '"', '--', '/*', '$', 'x', ' ', '\n'), { maxLength: 30 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(bodyText, around, (body, after) => {
        const fn = `CREATE FUNCTION g() RETURNS INT AS $fn$${body}$fn$ LANGUAGE PLPGSQL`;
        const text = [fn, ...after].map((s) => `${s};`).join('\n');
        const { tokens } = lex(text);
        const fromTokens = splitStatements(tokens).map((range) => text.slice(tokens[range.from]?.start, tokens[range.to - 1]?.end));
        assert.equal(fromTokens[0], fn);
        assert.equal(fromTokens.length, after.length + 1);
        assert.equal(statementRanges(text)[0]?.end, fn.length + 1);
      }),
      { numRuns: 300 },
    );
  });
});
