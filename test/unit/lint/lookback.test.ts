// Rules that excuse a table the same file created — not-null-column-without-default (it is still
// empty) and breaking-schema-change (no running code knows it) — ask the schema model instead of
// looking back through the file: the model knows which statement created each table and the first
// statement that wrote rows to it since, versioned so that the lint cache checks a statement again
// exactly when that changes. The rules that look ahead from BEGIN (schema-change-in-transaction,
// read-only-transaction) are re-checked by the engine while their transaction is open.
import * as assert from 'node:assert/strict';
import { documentStatements, StatementCache } from '../../../server/src/analysis/statements';
import { defaultConfig } from '../../../server/src/lint/config';
import { buildModel, LintCache, lintFile, type LintFinding, type SourceFile } from '../../../server/src/lint/engine';
import type { Rule, RuleContext } from '../../../server/src/lint/rule';
import { allRules } from '../../../server/src/lint/rules';
import type { SchemaModel } from '../../../server/src/schema/model';

const LOOK_BACK = ['not-null-column-without-default', 'breaking-schema-change'];

function source(uri: string, text: string, cache?: StatementCache): SourceFile {
  return { uri, text, statements: documentStatements(text, cache) };
}

/** The model after the files, and the text of the statement that first wrote rows to a table. */
function writes(...texts: string[]): { model: SchemaModel; writtenBy: (table: string) => string | undefined } {
  const files = texts.map((text, i) => source(`file:///${i}.sql`, text));
  const model = buildModel(files);
  const writtenBy = (table: string): string | undefined => {
    const found = model.tables.get(table);
    const origin = found && model.rowsWritten(found);
    const file = files.find((f) => f.uri === origin?.uri);
    return origin && file?.text.slice(origin.offset + origin.parsed.start, origin.offset + origin.parsed.end);
  };
  return { model, writtenBy };
}

function rulesOf(ids: string[]): Rule[] {
  return ids.map((id) => {
    const rule = allRules.find((r) => r.id === id);
    assert.ok(rule, id);
    return rule;
  });
}

/** The rules, each recording the statements it checks (their text) in `checked`. */
function recording(rules: Rule[], checked: string[]): Rule[] {
  return rules.map((rule) => ({
    ...rule,
    check(context: RuleContext) {
      checked.push(context.statements[context.index]?.text.trim() ?? '');
      rule.check?.(context);
    },
  }));
}

/** The rules, failing if they read any statement of the file but the one they check. */
function blindfolded(rules: Rule[]): Rule[] {
  return rules.map((rule) => ({
    ...rule,
    check(context: RuleContext) {
      const own = String(context.index);
      const statements = new Proxy(context.statements, {
        get(target, key, receiver) {
          if (key !== own) throw new Error(`${rule.id} read context.statements.${String(key)} while checking statement ${own}`);
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
      rule.check?.({ ...context, statements });
    },
  }));
}

function summary(findings: LintFinding[]): string[] {
  return findings.map((f) => `${f.start}-${f.end} ${f.rule} ${f.message}`);
}

describe('look-back facts in the schema model', () => {
  it('keeps the first statement that wrote rows to a table since its CREATE TABLE', () => {
    const { writtenBy } = writes(
      [
        'CREATE TABLE a (id INT PRIMARY KEY);',
        'INSERT INTO a VALUES (1);',
        'UPSERT INTO a VALUES (2);',
        'CREATE TABLE b (id INT PRIMARY KEY);',
        'UPDATE b SET id = 2;',
        'CREATE TABLE c (id INT PRIMARY KEY);',
        'DELETE FROM c;',
        'CREATE TABLE d (id INT PRIMARY KEY);',
        'SELECT * FROM d;',
      ].join('\n'),
    );
    assert.equal(writtenBy('defaultdb.a'), 'INSERT INTO a VALUES (1)');
    assert.equal(writtenBy('defaultdb.b'), 'UPDATE b SET id = 2');
    assert.equal(writtenBy('defaultdb.c'), 'DELETE FROM c');
    assert.equal(writtenBy('defaultdb.d'), undefined, 'a read writes nothing');
  });

  it('follows the table through renames and database names, and starts again when it is dropped and created anew', () => {
    const { writtenBy } = writes(
      [
        'CREATE DATABASE shop;',
        'CREATE TABLE shop.orders (id INT PRIMARY KEY);',
        'CREATE TABLE orders (id INT PRIMARY KEY);',
        'INSERT INTO shop.orders VALUES (1);',
        'ALTER TABLE shop.orders RENAME TO shop.purchases;',
        'CREATE TABLE carts (id INT PRIMARY KEY);',
        'INSERT INTO carts VALUES (1);',
        'DROP TABLE carts;',
        'CREATE TABLE carts (id INT PRIMARY KEY);',
      ].join('\n'),
    );
    assert.equal(writtenBy('shop.purchases'), 'INSERT INTO shop.orders VALUES (1)', 'written under its old name');
    assert.equal(writtenBy('defaultdb.orders'), undefined, 'the table of the same name in another database was not written');
    assert.equal(writtenBy('defaultdb.carts'), undefined, 'the rows went with the dropped table');
  });

  it('counts a COPY or IMPORT (the parser does not read their target) for every table created before it', () => {
    const { writtenBy } = writes(
      'CREATE TABLE early (id INT PRIMARY KEY);\nCOPY somewhere FROM STDIN;\n',
      "CREATE TABLE late (id INT PRIMARY KEY);\nCREATE TABLE later (id INT PRIMARY KEY);\nIMPORT INTO later CSV DATA ('nodelocal://1/x.csv');\nCREATE TABLE last (id INT PRIMARY KEY);\n",
    );
    assert.equal(writtenBy('defaultdb.early'), "IMPORT INTO later CSV DATA ('nodelocal://1/x.csv')", 'the last bulk write since');
    assert.equal(writtenBy('defaultdb.late'), "IMPORT INTO later CSV DATA ('nodelocal://1/x.csv')");
    assert.equal(writtenBy('defaultdb.later'), "IMPORT INTO later CSV DATA ('nodelocal://1/x.csv')");
    assert.equal(writtenBy('defaultdb.last'), undefined);
  });

  it('keeps the existing table and its writes on CREATE TABLE IF NOT EXISTS', () => {
    const { model, writtenBy } = writes(
      'CREATE TABLE t (id INT PRIMARY KEY);\nINSERT INTO t VALUES (1);\n',
      'CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY);\n',
    );
    assert.equal(writtenBy('defaultdb.t'), 'INSERT INTO t VALUES (1)');
    assert.equal(model.tables.get('defaultdb.t')?.uri, 'file:///0.sql', 'created by the first file, not by the one naming it again');
  });

  it('undoes the writes it recorded, with their versions', () => {
    const file = source(
      'file:///m.sql',
      'CREATE TABLE t (id INT PRIMARY KEY);\nINSERT INTO t VALUES (1);\nCOPY t FROM STDIN;\nINSERT INTO t VALUES (2);\n',
    );
    const model = buildModel([]);
    model.undoLog = [];
    const [create, ...rest] = file.statements;
    assert.ok(create);
    model.apply(create.parsed, file.uri, create.offset);
    const table = model.tables.get('defaultdb.t');
    assert.ok(table);
    const mark = model.undoLog.length;
    model.reads = [];
    assert.equal(model.rowsWritten(table), undefined);
    const keys = model.reads;
    model.reads = undefined;
    const versions = keys.map((key) => model.version(key));
    for (const statement of rest) model.apply(statement.parsed, file.uri, statement.offset);
    assert.equal(model.rowsWritten(table)?.offset, rest[0]?.offset);
    assert.notDeepEqual(
      keys.map((key) => model.version(key)),
      versions,
    );
    model.undoTo(mark);
    assert.equal(model.rowsWritten(table), undefined);
    assert.deepEqual(
      keys.map((key) => model.version(key)),
      versions,
    );
  });
});

describe('look-back rules read the model, not the file', () => {
  it('read no statement of the file but their own, however long the file', () => {
    const lines = ['CREATE TABLE wide (id INT PRIMARY KEY);', 'INSERT INTO other VALUES (1);'];
    for (let i = 0; i < 2000; i++) lines.push(`ALTER TABLE wide ADD COLUMN c${i} INT NOT NULL, RENAME COLUMN c${i} TO d${i};`);
    lines.push(
      'INSERT INTO wide DEFAULT VALUES;',
      'ALTER TABLE wide ADD COLUMN e INT NOT NULL;',
      'ALTER TABLE kept ADD COLUMN e INT NOT NULL;',
    );
    const text = lines.join('\n');
    const findings = lintFile(source('file:///wide.sql', text), [], defaultConfig(), blindfolded(rulesOf(LOOK_BACK)));
    assert.deepEqual(
      findings.map((f) => `${f.rule} «${text.slice(f.start, f.end)}»`),
      ['not-null-column-without-default «ADD COLUMN e INT NOT NULL»', 'not-null-column-without-default «ADD COLUMN e INT NOT NULL»'],
      'wide is new (no rename flagged) and empty until the INSERT into it; kept was not created in this file',
    );
  });

  it('check a statement again when its table is first written to, not when a later write changes', () => {
    const checked: string[] = [];
    const rules = recording(rulesOf(LOOK_BACK), checked);
    const statements = new StatementCache();
    const cache = new LintCache();
    const alter = 'ALTER TABLE t ADD COLUMN c INT NOT NULL;';
    const lint = (text: string): string[] => {
      checked.length = 0;
      const file = source('file:///m.sql', text, statements);
      const incremental = summary(lintFile(file, [], defaultConfig(), rules, cache));
      assert.deepEqual(incremental, summary(lintFile(source('file:///m.sql', text), [], defaultConfig(), rulesOf(LOOK_BACK))), text);
      return incremental.map((f) => f.split(' ')[1] ?? '');
    };
    const create = 'CREATE TABLE t (id INT PRIMARY KEY);';
    assert.deepEqual(lint([create, 'INSERT INTO t VALUES (1);', 'INSERT INTO t VALUES (2);', alter].join('\n')), [
      'not-null-column-without-default',
    ]);
    // A later INSERT changes: what the ALTER depends on (the first write) does not.
    assert.deepEqual(lint([create, 'INSERT INTO t VALUES (1);', 'INSERT INTO t VALUES (3);', alter].join('\n')), [
      'not-null-column-without-default',
    ]);
    assert.ok(!checked.includes(alter), `the ALTER kept its findings (checked: ${checked.join(' | ')})`);
    // The first INSERT goes: the other one is the first write now, and the ALTER is checked again.
    assert.deepEqual(lint([create, 'INSERT INTO t VALUES (3);', alter].join('\n')), ['not-null-column-without-default']);
    assert.ok(checked.includes(alter));
    // No write left: the table is empty.
    assert.deepEqual(lint([create, alter].join('\n')), []);
    assert.ok(checked.includes(alter));
  });
});

describe('look-ahead rules from BEGIN', () => {
  it('give a fresh lint’s findings after edits inside, after and around a transaction', () => {
    const statements = new StatementCache();
    const cache = new LintCache();
    const rules = rulesOf(['schema-change-in-transaction', 'read-only-transaction']);
    const seen = new Set<string>();
    const base = [
      'CREATE TABLE t (id INT PRIMARY KEY, x INT);',
      'BEGIN;',
      'SELECT * FROM t;',
      'COMMIT;',
      'BEGIN;',
      'ALTER TABLE t ADD CONSTRAINT u UNIQUE (x);',
      'SELECT * FROM t;',
      'COMMIT;',
      'SELECT 1;',
    ];
    const edits = [
      base,
      base.map((line, i) => (i === 6 ? 'INSERT INTO t VALUES (3, 3);' : line)),
      base,
      base.map((line, i) => (i === 2 ? 'UPDATE t SET x = 1;' : line)),
      base.filter((_, i) => i !== 3),
      base,
      base.filter((_, i) => i !== 7).map((line, i) => (i === 7 ? 'INSERT INTO t VALUES (4, 4);' : line)),
      base.slice(0, 3),
      base.slice(0, 4),
      base,
    ];
    for (const lines of edits) {
      const text = lines.join('\n');
      const incremental = summary(lintFile(source('file:///tx.sql', text, statements), [], defaultConfig(), rules, cache));
      assert.deepEqual(incremental, summary(lintFile(source('file:///tx.sql', text), [], defaultConfig(), rules)), text);
      for (const finding of incremental) seen.add(finding.split(' ')[1] ?? '');
    }
    assert.deepEqual([...seen].sort(), ['read-only-transaction', 'schema-change-in-transaction'], 'the edits make both rules come and go');
  });
});
