// Forms real repositories write that CockroachDB accepts and the parser once called syntax
// errors: explicit NULL before DEFAULT NULL, index hints in braces, numeric table references,
// role names written as strings, and SQL function bodies whose `;` belong to the body.
import * as assert from 'node:assert/strict';
import type * as ast from '../../../sql/src/ast';
import { parseDocument } from '../../../sql/src/parser';
import { splitStatements } from '../../../sql/src/splitter';
import { lex } from '../../../sql/src/lexer';
import { statementRanges } from '../../../sql/src/statementRanges';

function statementsOf(sql: string): ast.ParsedStatement[] {
  return parseDocument(sql).statements;
}

function clean(sql: string): ast.Statement {
  const [parsed, ...rest] = statementsOf(sql);
  assert.ok(parsed, sql);
  assert.equal(rest.length, 0, `one statement expected in ${sql}`);
  assert.deepEqual(parsed.errors, [], sql);
  return parsed.statement;
}

/** The statements as each splitter draws them: from the tokens, and from the text alone. */
function split(sql: string): { tokens: string[]; text: string[] } {
  const { tokens } = lex(sql);
  return {
    tokens: splitStatements(tokens).map((range) => sql.slice(tokens[range.from]?.start, tokens[range.to - 1]?.end)),
    text: statementRanges(sql).map((range) => sql.slice(range.start, range.end).replace(/;$/, '').trim()),
  };
}

describe('parser: forms of real repositories', () => {
  it('reads an explicit NULL followed by DEFAULT NULL (identity servers write it on every nullable column)', () => {
    const sql = 'CREATE TABLE codes (used_at timestamp NULL DEFAULT NULL, note STRING DEFAULT NULL::STRING NULL, n INT NOT NULL DEFAULT 0)';
    const statement = clean(sql);
    assert.equal(statement.type, 'create-table');
    const [usedAt, note, n] = statement.columns;
    assert.equal(usedAt?.default?.word, 'null');
    assert.equal(usedAt.notNull, false);
    assert.equal(sql.slice(usedAt.nullWritten?.start, usedAt.nullWritten?.end), 'NULL');
    assert.equal(note?.default?.text, 'NULL::STRING');
    assert.ok(note.nullWritten);
    assert.equal(n?.notNull, true);
    assert.equal(n.nullWritten, undefined);
  });

  it('reads a DEFAULT or ON UPDATE value with CASE … END whole, though it holds NULL or NOT', () => {
    const sql =
      'CREATE TABLE t (a INT8 DEFAULT CASE WHEN b IS NOT NULL THEN 1 ELSE 2 END NOT NULL, ' +
      'c INT DEFAULT 1 ON UPDATE CASE WHEN d IS NULL THEN 2 END UNIQUE)';
    const statement = clean(sql);
    assert.equal(statement.type, 'create-table');
    const [a, c] = statement.columns;
    assert.equal(a?.default?.text, 'CASE WHEN b IS NOT NULL THEN 1 ELSE 2 END');
    assert.equal(a.notNull, true);
    assert.equal(a.nullWritten, undefined);
    assert.equal(c?.default?.text, '1');
    assert.equal(c.unique, true);
    assert.equal(c.nullWritten, undefined);
  });

  it('moves on past a stray closing parenthesis in ALTER TABLE (once an endless loop)', () => {
    const [parsed] = statementsOf('ALTER TABLE a ) PARTITION BY LIST (b) (PARTITION p1 VALUES IN (1))');
    assert.match(parsed?.errors[0]?.message ?? '', /expected ',' or the end of the statement, found '\)'/);
  });

  it('still reports a DEFAULT without a value', () => {
    const [parsed] = statementsOf('CREATE TABLE t (a INT DEFAULT, b INT)');
    assert.match(parsed?.errors[0]?.message ?? '', /expected a default value/);
  });

  it('reads index hints in braces after @, and reports one left open', () => {
    for (const sql of [
      'SELECT * FROM t@{NO_FULL_SCAN}',
      'SELECT * FROM t@{FORCE_INDEX=i,DESC} WHERE a > 1',
      'SELECT * FROM t @ { FORCE_INDEX = i }',
      'DELETE FROM "db"."s"."t"@{NO_FULL_SCAN} WHERE (a, b) IN (($1::STRING, $2::INT8))',
      'UPSERT INTO t@{NO_FULL_SCAN} (a) VALUES (1)',
      'UPDATE t@{NO_INDEX_JOIN} SET a = 1',
      'SELECT * FROM t@i',
      'SELECT * FROM [53 AS t]@{FORCE_INDEX=[1]}',
    ])
      clean(sql);
    const [open] = statementsOf('SELECT * FROM t@{FORCE_INDEX=i');
    assert.deepEqual(
      open?.errors.map((e) => e.message),
      ["expected '}' to close the index hints"],
    );
    const [stray] = statementsOf('SELECT {a} FROM t');
    assert.equal(stray?.errors.length, 2, 'braces elsewhere are not CockroachDB syntax');
  });

  it('reads numeric table references and bracketed statements as table sources', () => {
    for (const sql of [
      'SELECT * FROM [53 AS t]',
      'SELECT * FROM [53(1, 2) AS t]@1',
      'INSERT INTO [53 AS t] VALUES (1)',
      'UPSERT INTO [53 AS t] (a) VALUES (1)',
      'UPDATE [53 AS t] SET a = 1',
      'DELETE FROM [53 AS t] WHERE a = 1',
      'SELECT * FROM [SHOW TABLES]',
      'SELECT * FROM [EXPLAIN SELECT 1]',
      'SELECT range_id FROM [SHOW RANGES FROM TABLE t] AS r WHERE r.lease_holder = 1',
      'ALTER TABLE t SPLIT AT SELECT * FROM [SHOW RANGES]',
      'SELECT * FROM [INSERT INTO t VALUES (1) RETURNING a]',
    ])
      clean(sql);
  });

  it('reads role names written as strings', () => {
    const alter = clean("ALTER USER 'foo' WITH PASSWORD 'bar'");
    assert.equal(alter.type, 'create-role');
    assert.equal(alter.name.value, 'foo');
    assert.equal(alter.alter, true);
    assert.ok(alter.password);
    const create = clean("CREATE USER IF NOT EXISTS 'x'");
    assert.equal(create.type === 'create-role' ? create.name.value : '', 'x');
    const grant = clean("GRANT ALL ON DATABASE d TO 'x', y");
    assert.equal(grant.type, 'other');
    assert.deepEqual(
      grant.grant?.grantees.map((g) => g.value),
      ['x', 'y'],
    );
    const role = clean("GRANT admin TO 'x'");
    assert.deepEqual(role.type === 'other' ? role.grant?.grantees.map((g) => g.value) : [], ['x']);
    const owner = clean("ALTER TABLE t OWNER TO 'x'");
    assert.equal(owner.type === 'alter-table' && owner.commands[0]?.kind === 'owner' ? owner.commands[0].owner.value : '', 'x');
  });
});

describe('statement splitting: function and procedure bodies', () => {
  it('keeps a BEGIN ATOMIC … END body in its CREATE FUNCTION / PROCEDURE, in both splitters', () => {
    const sql = [
      'CREATE FUNCTION f() RETURNS INT LANGUAGE SQL BEGIN ATOMIC SELECT 1; SELECT 2; END;',
      'CREATE OR REPLACE PROCEDURE p() LANGUAGE SQL begin /* a comment */ -- and another\n atomic INSERT INTO t VALUES (1); End;',
      'SELECT 3;',
    ].join('\n');
    const expected = [
      'CREATE FUNCTION f() RETURNS INT LANGUAGE SQL BEGIN ATOMIC SELECT 1; SELECT 2; END',
      'CREATE OR REPLACE PROCEDURE p() LANGUAGE SQL begin /* a comment */ -- and another\n atomic INSERT INTO t VALUES (1); End',
      'SELECT 3',
    ];
    assert.deepEqual(split(sql), { tokens: expected, text: expected });
    for (const parsed of statementsOf(sql)) assert.deepEqual(parsed.errors, []);
  });

  it('keeps dollar-quoted bodies whole, and splits BEGIN; … END; transactions as before', () => {
    const sql = [
      'CREATE FUNCTION g() RETURNS INT AS $$ SELECT 1; $$ LANGUAGE SQL;',
      'CREATE FUNCTION h() RETURNS INT AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE PLPGSQL;',
      'DO $$ BEGIN PERFORM 1; END $$;',
      'BEGIN; SELECT 1; END;',
    ].join('\n');
    const expected = [
      'CREATE FUNCTION g() RETURNS INT AS $$ SELECT 1; $$ LANGUAGE SQL',
      'CREATE FUNCTION h() RETURNS INT AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE PLPGSQL',
      'DO $$ BEGIN PERFORM 1; END $$',
      'BEGIN',
      'SELECT 1',
      'END',
    ];
    assert.deepEqual(split(sql), { tokens: expected, text: expected });
  });

  it('ends a body at the first END, as CockroachDB does (a CASE … END inside closes it)', () => {
    const sql = 'CREATE FUNCTION f() RETURNS INT LANGUAGE SQL BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;';
    const expected = ['CREATE FUNCTION f() RETURNS INT LANGUAGE SQL BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END', 'SELECT 2', 'END'];
    assert.deepEqual(split(sql), { tokens: expected, text: expected });
  });
});

describe('parser: the word a statement starts with', () => {
  it('calls a word that starts no CockroachDB or PostgreSQL statement a syntax error (a typo), at that word', () => {
    for (const [sql, word] of [
      ['SELEC 1', 'selec'],
      ['CRATE TABLE t (id INT8 PRIMARY KEY)', 'crate'],
      ['altr table t add column x int', 'altr'],
    ] as const) {
      const [parsed] = statementsOf(sql);
      assert.deepEqual(
        parsed?.errors.map((e) => [e.message, sql.slice(e.start, e.end).toLowerCase()]),
        [[`expected a statement, found '${word}'`, word]],
        sql,
      );
    }
  });

  it("leaves alone the statements of CockroachDB's grammar it does not parse into a tree, and PostgreSQL's it lacks", () => {
    for (const sql of [
      'EXPERIMENTAL CHANGEFEED FOR t',
      'CHECK EXTERNAL CONNECTION $1',
      'INSPECT TABLE t',
      "COMMENT ON TABLE t IS 'x'",
      'ANALYSE t',
      'PAUSE JOB 1',
      'CANCEL QUERY $1',
      'DECLARE c CURSOR FOR SELECT 1',
      'CALL p()',
      'REASSIGN OWNED BY a TO b',
      'VACUUM t',
      'LOCK TABLE t',
      'LISTEN ch',
      'TABLE t',
    ])
      assert.deepEqual(statementsOf(sql)[0]?.errors, [], sql);
  });
});

describe('parser: DROP', () => {
  it('names what it drops: DROP CONSTRAINT or DROP COLUMN without ALTER TABLE, or an unknown word, is a syntax error at that word', () => {
    for (const [sql, word] of [
      ['DROP CONSTRAINT users_email_key ON users', 'CONSTRAINT'],
      ['DROP COLUMN email', 'COLUMN'],
      ['DROP TABEL users', 'TABEL'],
      ["DROP 'users'", "'users'"],
    ] as const) {
      const [parsed] = statementsOf(sql);
      assert.deepEqual(
        parsed?.errors.map((e) => sql.slice(e.start, e.end)),
        [word],
        sql,
      );
      assert.match(
        parsed.errors.at(0)?.message ?? '',
        /^expected what to drop \(TABLE, INDEX, VIEW, SEQUENCE, DATABASE, …\) after DROP, found /,
      );
    }
    assert.match(statementsOf('DROP')[0]?.errors.at(0)?.message ?? '', /after DROP at the end of the statement$/);
  });

  it("takes every object of CockroachDB's grammar, and PostgreSQL's it lacks (those fail otherwise than as a typo)", () => {
    for (const sql of [
      'DROP TABLE IF EXISTS t CASCADE',
      'DROP MATERIALIZED VIEW v',
      'DROP OWNED BY u',
      'DROP SCHEDULE 123',
      'DROP EXTERNAL CONNECTION c',
      'DROP VIRTUAL CLUSTER c',
      'DROP TRIGGER tr ON t',
      'DROP POLICY p ON t',
      'DROP EXTENSION IF EXISTS "uuid-ossp"',
      'DROP DOMAIN d',
    ])
      assert.deepEqual(statementsOf(sql)[0]?.errors, [], sql);
  });
});

describe('parser: ALTER TABLE … DROP', () => {
  it('takes a name and CASCADE or RESTRICT, nothing more: a type written after a dropped column is a syntax error', () => {
    const sql = 'ALTER TABLE orgs DROP COLUMN deleted_at TIMESTAMPTZ NULL';
    const [parsed] = statementsOf(sql);
    assert.deepEqual(
      parsed?.errors.map((e) => [e.message, sql.slice(e.start, e.end)]),
      [["unexpected 'timestamptz' after the dropped column's name", 'TIMESTAMPTZ']],
    );
    for (const fine of [
      'ALTER TABLE o DROP COLUMN IF EXISTS x CASCADE, DROP CONSTRAINT IF EXISTS c RESTRICT',
      'ALTER TABLE o DROP x',
      'ALTER TABLE o DROP COLUMN x, ADD COLUMN y INT8',
    ])
      assert.deepEqual(statementsOf(fine)[0]?.errors, [], fine);
  });
});

describe('parser: ADD CONSTRAINT … PRIMARY KEY', () => {
  /** The index an ALTER TABLE's first command adds as a constraint. */
  function addedIndex(sql: string): ast.IndexDef | undefined {
    const statement = clean(sql);
    if (statement.type !== 'alter-table') return undefined;
    const command = statement.commands[0];
    return command?.kind === 'add-constraint' ? command.index : undefined;
  }

  it('keeps the name the constraint is given, as for UNIQUE (a later DROP CONSTRAINT names it)', () => {
    const named = addedIndex('ALTER TABLE t ADD CONSTRAINT t_by_code PRIMARY KEY (code)');
    assert.deepEqual([named?.kind, named?.name?.value], ['primary', 't_by_code']);
    const unnamed = addedIndex('ALTER TABLE t ADD PRIMARY KEY (code)');
    assert.deepEqual([unnamed?.kind, unnamed?.name], ['primary', undefined]);
  });
});
