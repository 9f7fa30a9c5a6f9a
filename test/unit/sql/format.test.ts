// The SQL formatter: its layout on fixtures, and on every statement of the CockroachDB corpus and
// on generated input, the two promises — formatting never changes what the SQL means (the
// project's parser reads the same tokens and comments before and after) and formatting twice
// changes nothing more.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits, formatEdits, formatSql, meaningOf } from '../../../sql/src/format/format';
import { lex } from '../../../sql/src/lexer';
import { parseDocument } from '../../../sql/src/parser';
import { corpusStatements } from '../../support/corpus';

function syntaxErrors(sql: string): number {
  return parseDocument(sql).statements.reduce((n, s) => n + s.errors.length, 0);
}

/** What the parser reads: each token's kind and value (identifiers lower-cased) and the comments. */
function parsedTokens(sql: string): string[] {
  const document = parseDocument(sql);
  return [
    ...document.tokens.map((t) => `${t.kind} ${t.value}`),
    ...document.comments.map((c) => sql.slice(c.start, c.end)),
    `${document.statements.length} statements`,
  ];
}

function assertKeepsMeaning(sql: string): string {
  const formatted = formatSql(sql);
  assert.deepEqual(parsedTokens(formatted), parsedTokens(sql), `${sql}\n=>\n${formatted}`);
  assert.ok(syntaxErrors(formatted) <= syntaxErrors(sql), `${sql}\n=>\n${formatted}`);
  assert.equal(formatSql(formatted), formatted, `not idempotent:\n${sql}\n=>\n${formatted}`);
  return formatted;
}

describe('SQL formatter', () => {
  it('writes one column definition per line in CREATE TABLE, keywords and types upper-cased', () => {
    const sql =
      'create table users (id uuid primary key default gen_random_uuid(), city string not null, key int, crdb_region crdb_internal_region, index (city) storing (key), family f1 (id, city)) locality regional by row;';
    assert.equal(
      assertKeepsMeaning(sql),
      [
        'CREATE TABLE users (',
        '  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),',
        '  city STRING NOT NULL,',
        '  key INT,',
        '  crdb_region crdb_internal_region,',
        '  INDEX (city) STORING (key),',
        '  FAMILY f1 (id, city)',
        ') LOCALITY REGIONAL BY ROW;',
      ].join('\n'),
    );
  });

  it('writes one clause per line, subqueries indented by depth', () => {
    const sql =
      "select u.id, count(*) from users as u left join rides r on r.rider_id = u.id where u.city='nyc' and exists (select 1 from t where t.a in (select b from c)) group by u.id order by 2 desc limit 10";
    assert.equal(
      assertKeepsMeaning(sql),
      [
        'SELECT u.id, count(*)',
        'FROM users AS u',
        'LEFT JOIN rides r ON r.rider_id = u.id',
        "WHERE u.city = 'nyc' AND EXISTS (",
        '  SELECT 1',
        '  FROM t',
        '  WHERE t.a IN (',
        '    SELECT b',
        '    FROM c',
        '  )',
        ')',
        'GROUP BY u.id',
        'ORDER BY 2 DESC',
        'LIMIT 10',
      ].join('\n'),
    );
  });

  it('breaks INSERT, UPSERT, UPDATE and DELETE into their clauses', () => {
    assert.equal(
      assertKeepsMeaning("insert into t (a, b) values (1, 'x') on conflict (a) do update set b = excluded.b returning a"),
      "INSERT INTO t (a, b)\nVALUES (1, 'x')\nON CONFLICT (a) DO UPDATE\nSET b = excluded.b\nRETURNING a",
    );
    assert.equal(assertKeepsMeaning('update t set a = a + 1 where b = $1'), 'UPDATE t\nSET a = a + 1\nWHERE b = $1');
    assert.equal(assertKeepsMeaning('delete from t where a < 3 limit 5'), 'DELETE FROM t\nWHERE a < 3\nLIMIT 5');
    assert.equal(assertKeepsMeaning('upsert into t select * from u'), 'UPSERT INTO t\nSELECT *\nFROM u');
  });

  it("formats CockroachDB's own syntax and keeps index hints, AS OF SYSTEM TIME and changefeeds intact", () => {
    assert.equal(
      assertKeepsMeaning("select * from t@{FORCE_INDEX=t_idx,NO_FULL_SCAN} as of system time '-10s' where a=1"),
      "SELECT *\nFROM t@{FORCE_INDEX=t_idx,NO_FULL_SCAN} AS OF SYSTEM TIME '-10s'\nWHERE a = 1",
    );
    assert.equal(
      assertKeepsMeaning('create index on users (created_at) using hash with (bucket_count = 8)'),
      'CREATE INDEX ON users (created_at) USING HASH WITH (bucket_count = 8)',
    );
    assert.equal(
      assertKeepsMeaning("create changefeed for table users into 'kafka://k' with updated, resolved"),
      "CREATE CHANGEFEED FOR TABLE users INTO 'kafka://k' WITH updated, resolved",
    );
    assert.equal(assertKeepsMeaning('alter database movr survive region failure'), 'ALTER DATABASE movr SURVIVE REGION FAILURE');
    assertKeepsMeaning('CREATE TABLE child (a INT, b INT, PRIMARY KEY (a, b)) INTERLEAVE IN PARENT parent (a)');
  });

  it('keeps comments where they are and string literals, quoted identifiers and dollar-quoted bodies untouched', () => {
    const sql = [
      'select a, -- the key',
      '  "Mixed  Case" /* kept */ from t',
      '-- only rows of today',
      "where s = 'a  b'   and e = e'x\\'  y'",
    ].join('\n');
    assert.equal(
      assertKeepsMeaning(sql),
      ['SELECT a, -- the key', '  "Mixed  Case" /* kept */', 'FROM t', '-- only rows of today', "WHERE s = 'a  b' AND e = e'x\\'  y'"].join(
        '\n',
      ),
    );
    const fn = 'create function f() returns int language sql as $$ select   1 ;  $$';
    assert.equal(assertKeepsMeaning(fn), 'CREATE FUNCTION f() RETURNS INT LANGUAGE sql AS $$ select   1 ;  $$');
  });

  it('leaves a statement it cannot parse exactly as it is, and formats the rest of the file', () => {
    const sql = 'select  a from t;\ncreate table (;\nselect b   from u;\n';
    assert.equal(formatSql(sql), 'SELECT a\nFROM t;\ncreate table (;\nSELECT b\nFROM u;\n');
  });

  it('can keep keywords as written, or lower-case them', () => {
    assert.equal(formatSql('Select a From t', { keywordCase: 'preserve' }), 'Select a\nFrom t');
    assert.equal(formatSql('SELECT a FROM t', { keywordCase: 'lower' }), 'select a\nfrom t');
  });

  it('formats only the statements a range touches', () => {
    const sql = 'select 1 from a;\nselect  2 from b;\nselect 3 from c;\n';
    const second = sql.indexOf('select  2');
    const edits = formatEdits(sql, {}, { start: second + 3, end: second + 5 });
    assert.equal(edits.length, 1);
    assert.equal(applyEdits(sql, edits), 'select 1 from a;\nSELECT 2\nFROM b;\nselect 3 from c;\n');
    // A range in the blank between statements touches none.
    assert.deepEqual(formatEdits('select 1;\n\n\nselect 2;', {}, { start: 11, end: 11 }), []);
  });

  describe('on every statement of the CockroachDB corpus', () => {
    let corpus: string[] = [];
    before(() => {
      corpus = corpusStatements();
    });

    it('keeps the tokens the parser reads, adds no syntax error, and is idempotent', () => {
      let reformatted = 0;
      for (const sql of corpus) if (assertKeepsMeaning(sql) !== sql) reformatted++;
      // Most of the corpus is written on one line or in another layout: the formatter works on it.
      assert.ok(reformatted > corpus.length / 3, `${reformatted} of ${corpus.length} reformatted`);
    });

    it('does the same for the corpus as one document (statements between comments and blank lines)', () => {
      const parseable = corpus.filter((sql) => syntaxErrors(sql) === 0 && parseDocument(sql).statements.length === 1).slice(0, 600);
      const document = parseable.map((sql, i) => `-- statement ${i}\n${sql};\n`).join('\n');
      const formatted = assertKeepsMeaning(document);
      assert.equal(formatted.split('\n-- statement ').length, parseable.length);
    });
  });

  describe('on generated input (fast-check)', () => {
    let corpus: string[] = [];
    before(() => {
      corpus = corpusStatements().filter((sql) => syntaxErrors(sql) === 0);
    });

    /** A corpus statement re-spaced, re-cased and with comments put between its tokens. */
    const rewritten = (): fc.Arbitrary<string> =>
      fc
        .record({
          index: fc.nat(),
          seps: fc.array(fc.constantFrom(' ', '  ', '\n', '\n    ', ' -- note\n', ' /* c */ ', '\t'), { minLength: 1, maxLength: 8 }),
          upper: fc.boolean(),
        })
        .map(({ index, seps, upper }) => {
          const sql = corpus[index % corpus.length] ?? 'select 1';
          const { tokens } = lex(sql);
          let out = '';
          let at = 0;
          tokens.forEach((token, i) => {
            const gap = sql.slice(at, token.start);
            // Only where the source had whitespace: joining two tokens could make one.
            out += gap.length > 0 && i > 0 ? (seps[i % seps.length] ?? ' ') : gap;
            const word = sql.slice(token.start, token.end);
            out += token.kind === 'ident' ? (upper ? word.toUpperCase() : word.toLowerCase()) : word;
            at = token.end;
          });
          return out + sql.slice(at);
        });

    it('keeps meaning and is idempotent on re-spaced, re-cased, commented statements', () => {
      fc.assert(
        fc.property(fc.array(rewritten(), { minLength: 1, maxLength: 4 }), (statements) => {
          const document = statements.join(';\n');
          const formatted = formatSql(document);
          assert.deepEqual(meaningOf(formatted), meaningOf(document));
          assert.equal(formatSql(formatted), formatted);
        }),
        { numRuns: 400 },
      );
    });

    it('never throws on arbitrary text and never changes its tokens', () => {
      const pieces = fc.constantFrom(
        'select',
        'from',
        '(',
        ')',
        ',',
        ';',
        "'x'",
        '$$ a $$',
        '--c\n',
        '/*c*/',
        'a',
        '.',
        '::',
        '@',
        '{',
        '}',
        '=',
        '-',
        'create table t',
        ' ',
        '\n',
      );
      fc.assert(
        fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
          const text = parts.join('');
          const formatted = formatSql(text);
          assert.deepEqual(meaningOf(formatted), meaningOf(text));
          assert.equal(formatSql(formatted), formatted);
        }),
        { numRuns: 500 },
      );
    });
  });
});
