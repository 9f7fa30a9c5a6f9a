// The results view's model (webview/src/results/state.ts, csv.ts): pure functions, no DOM.
import * as assert from 'node:assert/strict';
import type { ResultColumn, RunSummary, StatementView } from '../../protocol/src/results';
import { cellText, csvField, csvRow } from '../../protocol/src/csv';
import {
  announcement,
  applyMessage,
  compareCells,
  emptyModel,
  firstLine,
  isNumericType,
  nextSort,
  parseHostMessage,
  parseMemory,
  pruneMemory,
  rowSummary,
  visibleRows,
  type Row,
} from '../../webview/src/results/state';

function statement(overrides: Partial<StatementView> = {}): StatementView {
  return {
    id: 'r1:0',
    runId: 'r1',
    index: 0,
    statement: 'SELECT 1',
    line: 1,
    status: 'done',
    columns: [],
    rows: [],
    hasMore: false,
    notices: [],
    ...overrides,
  };
}

function run(overrides: Partial<RunSummary> = {}): RunSummary {
  return { runId: 'r1', target: 'Simulated cluster', source: 'schema.sql:1', startedAt: 0, statements: 2, status: 'running', ...overrides };
}

/** The rows in the order visibleRows gives, as the values of one column. */
function sortedColumn(rows: Row[], columns: ResultColumn[], column: number, direction: 'ascending' | 'descending'): (string | null)[] {
  return visibleRows(rows, columns, { column, direction }, '').map((i) => rows[i]?.[column] ?? null);
}

describe('results view: sorting', () => {
  it('sorts numeric columns by value, not as text', () => {
    const columns = [{ name: 'n', type: 'INT8' }];
    const rows: Row[] = [['10'], ['9'], ['-3'], ['100'], ['2']];
    assert.deepEqual(sortedColumn(rows, columns, 0, 'ascending'), ['-3', '2', '9', '10', '100']);
    assert.deepEqual(sortedColumn(rows, columns, 0, 'descending'), ['100', '10', '9', '2', '-3']);
  });

  it('sorts text columns by code unit, as CockroachDB orders STRING', () => {
    const columns = [{ name: 's', type: 'STRING' }];
    const rows: Row[] = [['10'], ['9'], ['b'], ['B'], ['a']];
    assert.deepEqual(sortedColumn(rows, columns, 0, 'ascending'), ['10', '9', 'B', 'a', 'b']);
  });

  it('puts NULLs first ascending and last descending, and never confuses them with the string NULL', () => {
    const columns = [
      { name: 'n', type: 'DECIMAL(10,2)' },
      { name: 's', type: 'STRING' },
    ];
    const rows: Row[] = [
      ['1.50', 'NULL'],
      [null, null],
      ['-2', 'a'],
    ];
    assert.deepEqual(sortedColumn(rows, columns, 0, 'ascending'), [null, '-2', '1.50']);
    assert.deepEqual(sortedColumn(rows, columns, 0, 'descending'), ['1.50', '-2', null]);
    assert.deepEqual(sortedColumn(rows, columns, 1, 'ascending'), [null, 'NULL', 'a']);
  });

  it('orders DECIMALs beyond double precision exactly, and NaN after every number', () => {
    assert.equal(compareCells('12345678901234567890.000000000001', '12345678901234567890.0000000000009', true), 1);
    assert.equal(compareCells('-0.10', '-0.1', true), 0);
    assert.equal(compareCells('-0', '0', true), 0);
    assert.equal(compareCells('-12345678901234567891', '-12345678901234567890', true), -1);
    assert.equal(compareCells('NaN', 'Infinity', true), 1);
    assert.equal(compareCells('-Infinity', '-1e308', true), -1);
    assert.equal(compareCells('1e3', '999.5', true), 1);
  });

  it('keeps the arrival order for equal values (a stable sort)', () => {
    const columns = [
      { name: 'k', type: 'INT4' },
      { name: 'v', type: 'STRING' },
    ];
    const rows: Row[] = [
      ['1', 'first'],
      ['0', 'x'],
      ['1', 'second'],
      ['1', 'third'],
    ];
    assert.deepEqual(
      visibleRows(rows, columns, { column: 0, direction: 'ascending' }, '').map((i) => rows[i]?.[1]),
      ['x', 'first', 'second', 'third'],
    );
  });

  it('knows which CockroachDB types are numeric', () => {
    for (const type of ['INT8', 'int', 'INT4', 'FLOAT8', 'DECIMAL', 'DECIMAL(10,2)', 'numeric(5)', 'DOUBLE PRECISION', 'OID'])
      assert.ok(isNumericType(type), type);
    for (const type of ['STRING', 'INT8[]', 'TIMESTAMPTZ', 'UUID', 'JSONB', 'BOOL', 'INTERVAL']) assert.ok(!isNumericType(type), type);
  });

  it('cycles a header through ascending, descending and unsorted', () => {
    const first = nextSort(undefined, 2);
    assert.deepEqual(first, { column: 2, direction: 'ascending' });
    const second = nextSort(first, 2);
    assert.deepEqual(second, { column: 2, direction: 'descending' });
    assert.equal(nextSort(second, 2), undefined);
    assert.deepEqual(nextSort(second, 0), { column: 0, direction: 'ascending' });
  });

  it('ignores a sort on a column that does not exist', () => {
    const rows: Row[] = [['b'], ['a']];
    assert.deepEqual(visibleRows(rows, [{ name: 's', type: 'STRING' }], { column: 5, direction: 'ascending' }, ''), [0, 1]);
  });
});

describe('results view: filtering', () => {
  const columns = [
    { name: 'id', type: 'INT8' },
    { name: 'city', type: 'STRING' },
  ];
  const rows: Row[] = [
    ['1', 'Amsterdam'],
    ['2', 'new york'],
    ['3', null],
    ['4', 'NULL'],
    ['12', 'Berlin'],
  ];

  it('matches a case-insensitive substring of any cell', () => {
    assert.deepEqual(visibleRows(rows, columns, undefined, 'AM'), [0]);
    assert.deepEqual(visibleRows(rows, columns, undefined, 'york'), [1]);
    assert.deepEqual(visibleRows(rows, columns, undefined, '2'), [1, 4]);
  });

  it('shows every row for an empty or blank filter', () => {
    assert.deepEqual(visibleRows(rows, columns, undefined, ''), [0, 1, 2, 3, 4]);
    assert.deepEqual(visibleRows(rows, columns, undefined, '   '), [0, 1, 2, 3, 4]);
  });

  it('never matches a NULL, only the string NULL', () => {
    assert.deepEqual(visibleRows(rows, columns, undefined, 'null'), [3]);
  });

  it('does not match across cell boundaries', () => {
    assert.deepEqual(visibleRows(rows, columns, undefined, '1amsterdam'), []);
  });

  it('filters and then sorts', () => {
    assert.deepEqual(visibleRows(rows, columns, { column: 0, direction: 'descending' }, 'e'), [4, 1, 0]);
  });
});

describe('results view: the model', () => {
  const columns = [{ name: 'n', type: 'INT8' }];

  it('shows a started run, adds its statements in index order and replaces one by id', () => {
    let { model, change } = applyMessage(emptyModel(), { type: 'run-started', run: run() });
    assert.equal(change.kind, 'run');
    assert.equal(model.history.length, 1);
    model = applyMessage(model, { type: 'statement', statement: statement({ id: 'r1:1', index: 1 }) }).model;
    model = applyMessage(model, { type: 'statement', statement: statement({ status: 'running' }) }).model;
    assert.deepEqual(
      model.statements.map((s) => s.id),
      ['r1:0', 'r1:1'],
    );
    ({ model, change } = applyMessage(model, { type: 'statement', statement: statement({ status: 'done', rows: [['1']], columns }) }));
    assert.ok(change.kind === 'statement');
    assert.equal(change.previous?.status, 'running');
    assert.deepEqual(model.statements[0]?.rows, [['1']]);
  });

  it('appends rows with hasMore and rowCount, and ignores rows of an unknown statement', () => {
    let model = applyMessage(emptyModel(), { type: 'run-started', run: run() }).model;
    model = applyMessage(model, {
      type: 'statement',
      statement: statement({ columns, rows: [['1'], ['2']], hasMore: true, rowCount: 2 }),
    }).model;
    const before = model.statements[0];
    const result = applyMessage(model, { type: 'rows', id: 'r1:0', rows: [['3'], [null]], hasMore: false, rowCount: 4 });
    assert.deepEqual(result.change, { kind: 'rows', id: 'r1:0' });
    const after = result.model.statements[0];
    assert.ok(after);
    assert.deepEqual(after.rows, [['1'], ['2'], ['3'], [null]]);
    assert.equal(after.hasMore, false);
    assert.equal(after.rowCount, 4);
    assert.equal(before?.rows.length, 2, 'the earlier model is left as it was');
    assert.equal(applyMessage(result.model, { type: 'rows', id: 'nope', rows: [['9']], hasMore: false, rowCount: 1 }).change.kind, 'none');
  });

  it('ignores statements of another run while one is shown, and shows one of an unseen run when none is', () => {
    const shown = applyMessage(emptyModel(), { type: 'run-started', run: run() }).model;
    assert.equal(applyMessage(shown, { type: 'statement', statement: statement({ runId: 'r0', id: 'r0:0' }) }).change.kind, 'none');
    const adopted = applyMessage(emptyModel(), { type: 'statement', statement: statement({ runId: 'r9', id: 'r9:0' }) }).model;
    assert.equal(adopted.run?.runId, 'r9');
    assert.equal(adopted.statements.length, 1);
  });

  it('updates the shown run and the history when a run finishes; show-run replaces the statements', () => {
    let model = applyMessage(emptyModel(), { type: 'history', runs: [run({ runId: 'r0', status: 'done' })] }).model;
    model = applyMessage(model, { type: 'run-started', run: run() }).model;
    assert.deepEqual(
      model.history.map((r) => r.runId),
      ['r1', 'r0'],
    );
    const finished = applyMessage(model, { type: 'run-finished', run: run({ status: 'error' }) });
    assert.equal(finished.change.kind, 'run-status');
    assert.equal(finished.model.run?.status, 'error');
    assert.equal(finished.model.history[0]?.status, 'error');
    const shown = applyMessage(finished.model, {
      type: 'show-run',
      runId: 'r0',
      statements: [statement({ runId: 'r0', id: 'r0:1', index: 1 }), statement({ runId: 'r0', id: 'r0:0' })],
    });
    assert.equal(shown.model.run?.runId, 'r0');
    assert.deepEqual(
      shown.model.statements.map((s) => s.id),
      ['r0:0', 'r0:1'],
    );
  });

  it('accepts well-formed host messages and rejects the rest', () => {
    assert.ok(parseHostMessage({ type: 'statement', statement: statement({ error: { message: 'boom', code: '42601', line: 2 } }) }));
    assert.ok(parseHostMessage({ type: 'rows', id: 'x', rows: [['a', null]], hasMore: false, rowCount: 1 }));
    assert.ok(parseHostMessage({ type: 'history', runs: [run()] }));
    for (const bad of [
      null,
      'statement',
      { type: 'unknown' },
      { type: 'rows', id: 'x', rows: [[1]], hasMore: false, rowCount: 1 },
      { type: 'statement', statement: { ...statement(), status: 'weird' } },
      { type: 'statement', statement: { ...statement(), error: { code: '42601' } } },
      { type: 'history', runs: [{ runId: 'r' }] },
      { type: 'run-started' },
    ])
      assert.equal(parseHostMessage(bad), undefined, JSON.stringify(bad));
  });

  it('reads remembered view state defensively and keeps only the shown statements', () => {
    assert.deepEqual(parseMemory(undefined), { statements: {} });
    const memory = parseMemory({
      selectedId: 'a',
      historyOpen: true,
      statements: { a: { sort: { column: 1, direction: 'descending' }, filter: 'x', scrollTop: 40 }, b: { sort: { column: -1 } }, c: 7 },
    });
    assert.deepEqual(memory.statements['a'], { sort: { column: 1, direction: 'descending' }, filter: 'x', scrollTop: 40 });
    assert.deepEqual(memory.statements['b'], {});
    assert.equal(memory.statements['c'], undefined);
    const pruned = pruneMemory(memory, [statement({ id: 'b' })]);
    assert.deepEqual(pruned, { statements: { b: {} }, selectedId: 'b', historyOpen: true });
  });
});

describe('results view: wording', () => {
  it('gives a statement its first line of SQL, skipping comments', () => {
    assert.equal(firstLine('-- count them\n  SELECT count(*)\n  FROM t'), 'SELECT count(*)');
    assert.equal(firstLine('x'.repeat(100)).length, 60);
  });

  it('summarises rows returned, rows still to load and rows affected', () => {
    assert.equal(rowSummary(statement({ columns: [{ name: 'a', type: 'INT8' }], rows: [['1']], rowCount: 1 })), '1 row');
    assert.equal(
      rowSummary(statement({ columns: [{ name: 'a', type: 'INT8' }], rows: [['1']], rowCount: 500, hasMore: true })),
      '500+ rows',
    );
    assert.equal(rowSummary(statement({ tag: 'INSERT 0 3', rowCount: 3 })), '3 rows affected');
  });

  it('announces statements that finish, fail or are cancelled, once', () => {
    const done = statement({ index: 1, columns: [{ name: 'a', type: 'INT8' }], rows: [['1'], ['2'], ['3']], rowCount: 3 });
    assert.equal(announcement(done, statement({ status: 'running' })), 'Statement 2 finished: 3 rows');
    assert.equal(announcement(done, done), undefined);
    assert.equal(announcement(statement({ tag: 'INSERT 0 1', rowCount: 1 }), undefined), 'Statement 1 finished: INSERT 0 1');
    assert.equal(
      announcement(statement({ index: 2, status: 'error', error: { code: '42P01', message: 'relation "t" does not exist' } }), undefined),
      'Statement 3 failed: 42P01 relation "t" does not exist',
    );
    assert.equal(announcement(statement({ status: 'running' }), undefined), undefined);
  });
});

describe('results view: CSV for the clipboard', () => {
  it('leaves plain fields bare and quotes commas, quotes, line breaks and edge blanks', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\rhere'), '"cr\rhere"');
    assert.equal(csvField(' padded'), '" padded"');
  });

  it('writes NULL as an empty field and the empty string as "" (as COPY … CSV does)', () => {
    assert.equal(csvField(null), '');
    assert.equal(csvField(''), '""');
    assert.equal(csvRow(['1', null, '', 'NULL', 'x,y']), '1,,"",NULL,"x,y"');
  });

  it('copies a single cell as its text, NULL as the word', () => {
    assert.equal(cellText('42'), '42');
    assert.equal(cellText(null), 'NULL');
  });
});
