// The DDL that migrations write after the first CREATE TABLE: foreign keys, renames, column
// changes, constraint drops, index renames and the interleaving CockroachDB dropped in v22.1.
import * as assert from 'node:assert/strict';
import type * as ast from '../../../sql/src/ast';
import { parseDocument } from '../../../sql/src/parser';

function parseOne(sql: string): ast.Statement {
  const parsed = parseDocument(sql).statements[0];
  assert.ok(parsed, `no statement in ${sql}`);
  assert.deepEqual(parsed.errors, [], sql);
  return parsed.statement;
}

function createTable(sql: string): ast.CreateTable {
  const statement = parseOne(sql);
  assert.equal(statement.type, 'create-table', sql);
  return statement;
}

function alterTable(sql: string): ast.AlterTableCommand[] {
  const statement = parseOne(sql);
  assert.equal(statement.type, 'alter-table', sql);
  return statement.commands;
}

const names = (list: ast.Name[]): string[] => list.map((n) => n.value);
const textOf = (sql: string, span: ast.Span | undefined): string => (span ? sql.slice(span.start, span.end) : '');

describe('parser: foreign keys', () => {
  it('collects table-level FOREIGN KEY constraints and inline REFERENCES, in order', () => {
    const sql =
      'CREATE TABLE c (id UUID PRIMARY KEY, p INT CONSTRAINT fk_p REFERENCES parent (pid) ON DELETE CASCADE, ' +
      'q INT REFERENCES other, CONSTRAINT fk2 FOREIGN KEY (a, b) REFERENCES db.t2 (x, y) MATCH FULL ON UPDATE SET NULL, ' +
      'FOREIGN KEY (z) REFERENCES t3)';
    const table = createTable(sql);
    const keys = table.foreignKeys.map((fk) => ({
      name: fk.name?.value,
      columns: names(fk.columns),
      table: fk.table.parts.map((p) => p.value).join('.'),
      referenced: names(fk.referencedColumns),
    }));
    assert.deepEqual(keys, [
      { name: 'fk_p', columns: ['p'], table: 'parent', referenced: ['pid'] },
      { name: undefined, columns: ['q'], table: 'other', referenced: [] },
      { name: 'fk2', columns: ['a', 'b'], table: 'db.t2', referenced: ['x', 'y'] },
      { name: undefined, columns: ['z'], table: 't3', referenced: [] },
    ]);
    assert.equal(textOf(sql, table.foreignKeys[0]), 'CONSTRAINT fk_p REFERENCES parent (pid) ON DELETE CASCADE');
    assert.equal(
      textOf(sql, table.foreignKeys[2]),
      'CONSTRAINT fk2 FOREIGN KEY (a, b) REFERENCES db.t2 (x, y) MATCH FULL ON UPDATE SET NULL',
    );
    const column = table.columns.find((c) => c.name.value === 'p');
    assert.equal(column?.references?.name.value, 'parent');
    assert.equal(column.referencedColumn?.value, 'pid');
    assert.equal(table.columns.find((c) => c.name.value === 'q')?.referencedColumn, undefined);
  });

  it('gives a table without foreign keys an empty list', () => {
    assert.deepEqual(createTable('CREATE TABLE t (id INT PRIMARY KEY)').foreignKeys, []);
  });

  it('reads ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY, named or not', () => {
    const commands = alterTable(
      'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id) ON DELETE CASCADE NOT VALID, ADD FOREIGN KEY (b) REFERENCES q',
    );
    const keys = commands.map((c) => (c.kind === 'add-constraint' ? c.foreignKey : undefined));
    assert.equal(keys[0]?.name?.value, 'fk');
    assert.deepEqual(names(keys[0].columns), ['a']);
    assert.deepEqual(names(keys[0].referencedColumns), ['id']);
    assert.equal(keys[1]?.name, undefined);
    assert.equal(keys[1]?.table.name.value, 'q');
  });
});

describe('parser: ALTER TABLE commands of migrations', () => {
  it('reads RENAME COLUMN (COLUMN optional) and RENAME CONSTRAINT, and keeps RENAME TO for the table', () => {
    const commands = alterTable('ALTER TABLE t RENAME COLUMN a TO b, RENAME c TO d, RENAME CONSTRAINT x TO y');
    assert.deepEqual(
      commands.map((c) =>
        c.kind === 'rename-column'
          ? `column ${c.column.value}->${c.to.value}`
          : c.kind === 'rename-constraint'
            ? `constraint ${c.name.value}->${c.to.value}`
            : c.kind,
      ),
      ['column a->b', 'column c->d', 'constraint x->y'],
    );
    const [rename] = alterTable('ALTER TABLE t RENAME TO u');
    assert.equal(rename?.kind, 'rename-table');
  });

  it('reads ALTER COLUMN actions', () => {
    const sql =
      'ALTER TABLE t ALTER COLUMN a SET DATA TYPE STRING USING a::STRING, ALTER b TYPE INT8, ALTER c SET NOT NULL, ' +
      'ALTER d DROP NOT NULL, ALTER e SET DEFAULT now(), ALTER f DROP DEFAULT, ALTER g SET NOT VISIBLE, ALTER h SET VISIBLE, ALTER i DROP STORED';
    const commands = alterTable(sql);
    const read = commands.map((c) => {
      assert.equal(c.kind, 'alter-column');
      const details = [c.type?.name, c.using?.text, c.default?.call, c.visible].filter((d) => d !== undefined);
      return [c.column.value, c.action, ...details].join(' ');
    });
    assert.deepEqual(read, [
      'a set-type string a::STRING',
      'b set-type int8',
      'c set-not-null',
      'd drop-not-null',
      'e set-default now',
      'f drop-default',
      'g set-visible false',
      'h set-visible true',
      'i other',
    ]);
  });

  it('reads DROP CONSTRAINT and DROP COLUMN with IF EXISTS, and ADD COLUMN IF NOT EXISTS', () => {
    const commands = alterTable(
      'ALTER TABLE t DROP CONSTRAINT IF EXISTS fk CASCADE, DROP CONSTRAINT c2, DROP COLUMN IF EXISTS x, DROP y CASCADE, ADD COLUMN IF NOT EXISTS z INT, ADD w INT',
    );
    assert.deepEqual(
      commands.map((c) => {
        if (c.kind === 'drop-constraint') return `drop constraint ${c.name.value} ${c.ifExists}`;
        if (c.kind === 'drop-column') return `drop column ${c.column.value} ${c.ifExists}`;
        if (c.kind === 'add-column') return `add column ${c.column.name.value} ${c.ifNotExists}`;
        return c.kind;
      }),
      [
        'drop constraint fk true',
        'drop constraint c2 false',
        'drop column x true',
        'drop column y false',
        'add column z true',
        'add column w false',
      ],
    );
  });

  it('reads SPLIT AT VALUES with several rows as one command', () => {
    const commands = alterTable('ALTER TABLE t SPLIT AT VALUES (1), (2)');
    assert.deepEqual(
      commands.map((c) => c.kind),
      ['other'],
    );
  });
});

describe('parser: ALTER INDEX … RENAME TO', () => {
  const rename = (sql: string): { table?: string; index?: string; to: string } | undefined => {
    const statement = parseOne(sql);
    assert.equal(statement.type, 'other');
    const found = statement.alterIndexRename;
    if (!found) return undefined;
    return {
      ...(found.target.name ? { table: found.target.name.parts.map((p) => p.value).join('.') } : {}),
      ...(found.target.index ? { index: found.target.index.value } : {}),
      to: found.to.value,
    };
  };

  it('reads the index as t@i, a bare name or a qualified name, with IF EXISTS', () => {
    assert.deepEqual(rename('ALTER INDEX t@i RENAME TO j'), { table: 't', index: 'i', to: 'j' });
    assert.deepEqual(rename('ALTER INDEX i RENAME TO j'), { table: 'i', to: 'j' });
    assert.deepEqual(rename('ALTER INDEX IF EXISTS db.s.i RENAME TO k'), { table: 'db.s.i', to: 'k' });
  });
});

describe('parser: INTERLEAVE IN PARENT wherever v21.2 accepted it', () => {
  const forms: [string, string][] = [
    ['after the column list', 'CREATE TABLE c (a INT, b INT, PRIMARY KEY (a, b)) INTERLEAVE IN PARENT p (a)'],
    ['after a PRIMARY KEY constraint', 'CREATE TABLE c (a INT, b INT, PRIMARY KEY (a, b) INTERLEAVE IN PARENT p (a))'],
    ['after an INDEX in the column list', 'CREATE TABLE c (a INT PRIMARY KEY, b INT, INDEX i (a, b) INTERLEAVE IN PARENT p (a))'],
    [
      'after a UNIQUE INDEX in the column list',
      'CREATE TABLE c (a INT PRIMARY KEY, UNIQUE INDEX (a) STORING (a) INTERLEAVE IN PARENT p (a))',
    ],
    ['after a UNIQUE constraint', 'CREATE TABLE c (a INT PRIMARY KEY, CONSTRAINT u UNIQUE (a) INTERLEAVE IN PARENT p (a) CASCADE)'],
  ];
  for (const [where, sql] of forms) {
    it(`sets CreateTable.interleave ${where}`, () => {
      const table = createTable(sql);
      assert.ok(textOf(sql, table.interleave).startsWith('INTERLEAVE IN PARENT p (a)'), sql);
    });
  }

  it('sets CreateIndex.interleave', () => {
    const sql = 'CREATE INDEX i ON c (a, b) STORING (d) INTERLEAVE IN PARENT p (a)';
    const statement = parseOne(sql);
    assert.equal(statement.type, 'create-index');
    assert.equal(textOf(sql, statement.interleave), 'INTERLEAVE IN PARENT p (a)');
  });

  it('marks the index of ALTER PRIMARY KEY / ADD PRIMARY KEY … INTERLEAVE', () => {
    const sql = 'ALTER TABLE a ADD PRIMARY KEY (x, y, z) USING HASH WITH BUCKET_COUNT = 10 INTERLEAVE IN PARENT b (x, y)';
    const [command] = alterTable(sql);
    assert.equal(command?.kind === 'add-constraint' ? textOf(sql, command.index?.interleave) : '', 'INTERLEAVE IN PARENT b (x, y)');
    const [alter] = alterTable('ALTER TABLE a ALTER PRIMARY KEY USING COLUMNS (x) INTERLEAVE IN PARENT b (x)');
    assert.ok(alter?.kind === 'alter-primary-key' && alter.index.interleave);
  });

  it('leaves interleave unset when there is none', () => {
    assert.equal('interleave' in createTable('CREATE TABLE c (a INT PRIMARY KEY, INDEX (a))'), false);
  });
});
