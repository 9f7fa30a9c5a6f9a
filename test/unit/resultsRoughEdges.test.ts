// The results view's rough edges, in its model (webview/src/results/state.ts) and the host's
// pure helpers: a run that could not connect replaces the last run's "Done"; the history shows
// and searches each run's SQL; a run error an edit touched is dropped, the rest move with the text.
import * as assert from 'node:assert/strict';
import type { RunSummary, StatementView } from '../../protocol/src/results';
import { rangesAfterChanges, type Span } from '../../client/src/run/staleDiagnostics';
import { applyMessage, emptyModel, filterHistory, historyTitle, parseHostMessage, type Model } from '../../webview/src/results/state';

function run(overrides: Partial<RunSummary> = {}): RunSummary {
  return { runId: 'r1', target: 'Simulated cluster', source: 'pg.sql:3', startedAt: 0, statements: 1, status: 'running', ...overrides };
}

function statement(overrides: Partial<StatementView> = {}): StatementView {
  return {
    id: 'r1-0',
    runId: 'r1',
    index: 0,
    statement: 'SELECT 1',
    line: 3,
    status: 'done',
    columns: [],
    rows: [],
    hasMore: false,
    notices: [],
    ...overrides,
  };
}

function play(model: Model, ...messages: unknown[]): Model {
  for (const raw of messages) {
    const message = parseHostMessage(raw);
    assert.ok(message, `the view accepts ${JSON.stringify(raw)}`);
    model = applyMessage(model, message).model;
  }
  return model;
}

const span = (l1: number, c1: number, l2: number, c2: number): Span => ({
  start: { line: l1, character: c1 },
  end: { line: l2, character: c2 },
});

describe('results view: rough edges', () => {
  it('after a failed connection shows the failure, not the previous run’s Done', () => {
    const done = play(
      emptyModel(),
      { type: 'run-started', run: run() },
      { type: 'statement', statement: statement() },
      { type: 'run-finished', run: run({ status: 'done' }) },
    );
    assert.equal(done.run?.status, 'done');
    // What the host sends when it cannot connect (RunController.showNotConnected).
    const failed = play(
      done,
      { type: 'run-started', run: run({ runId: 'r2', statements: 2 }) },
      {
        type: 'statement',
        statement: statement({
          id: 'r2-0',
          runId: 'r2',
          status: 'error',
          error: { message: 'cannot connect to prod: connection refused' },
          note: 'Not run: could not connect to prod.',
        }),
      },
      {
        type: 'statement',
        statement: statement({ id: 'r2-1', runId: 'r2', index: 1, status: 'cancelled', note: 'Not run: could not connect to prod.' }),
      },
      { type: 'run-finished', run: run({ runId: 'r2', statements: 2, status: 'error' }) },
    );
    assert.equal(failed.run?.runId, 'r2');
    assert.equal(failed.run.status, 'error');
    assert.deepEqual(
      failed.statements.map((s) => [s.status, s.error?.message]),
      [
        ['error', 'cannot connect to prod: connection refused'],
        ['cancelled', undefined],
      ],
    );
    assert.deepEqual(
      failed.history.map((r) => [r.runId, r.status]),
      [
        ['r2', 'error'],
        ['r1', 'done'],
      ],
    );
  });

  it('names a history entry by its SQL’s first line, falling back to file:line', () => {
    assert.equal(historyTitle(run({ sql: '-- totals\nSELECT city, count(*)\n  FROM rides GROUP BY city' })), 'SELECT city, count(*)');
    assert.equal(historyTitle(run()), 'pg.sql:3');
    assert.equal(historyTitle(run({ sql: '' })), 'pg.sql:3');
    const long = `SELECT ${'a, '.repeat(40)}b FROM t`;
    assert.equal(historyTitle(run({ sql: long })).length, 60);
    assert.ok(historyTitle(run({ sql: long })).endsWith('…'));
  });

  it('searches the history by SQL, file, target or status, every word, any case', () => {
    const runs = [
      run({ runId: 'a', sql: 'SELECT * FROM rides', source: 'movr.sql:10', status: 'done' }),
      run({ runId: 'b', sql: "INSERT INTO users VALUES ('x')", source: 'movr.sql:20', status: 'error' }),
      run({ runId: 'c', sql: 'SELECT 1', source: 'lesson.md: block 2', target: 'prod', status: 'done' }),
    ];
    const ids = (query: string): string[] => filterHistory(runs, query).map((r) => r.runId);
    assert.deepEqual(ids(''), ['a', 'b', 'c']);
    assert.deepEqual(ids('rides'), ['a']);
    assert.deepEqual(ids('select'), ['a', 'c']);
    assert.deepEqual(ids('MOVR.sql'), ['a', 'b']);
    assert.deepEqual(ids('movr error'), ['b']);
    assert.deepEqual(ids('prod'), ['c']);
    assert.deepEqual(ids('nothing-like-this'), []);
  });

  it('takes a run’s SQL from the host and rejects a malformed one', () => {
    assert.ok(parseHostMessage({ type: 'run-started', run: run({ sql: 'SELECT 1' }) }));
    assert.equal(parseHostMessage({ type: 'run-started', run: { ...run(), sql: 42 } }), undefined);
  });

  describe('run errors after an edit', () => {
    const error = span(3, 7, 3, 11); // `nope` on line 3

    it('drops an error whose text was edited, or typed against', () => {
      assert.deepEqual(rangesAfterChanges([error], [{ range: span(3, 8, 3, 9), text: 'x' }]), [undefined]);
      assert.deepEqual(rangesAfterChanges([error], [{ range: span(3, 11, 3, 11), text: 's' }]), [undefined]);
      assert.deepEqual(rangesAfterChanges([error], [{ range: span(2, 0, 4, 0), text: '' }]), [undefined]);
    });

    it('keeps an error before the edit where it is', () => {
      assert.deepEqual(rangesAfterChanges([error], [{ range: span(5, 0, 5, 0), text: 'SELECT 2;\n' }]), [error]);
      assert.deepEqual(rangesAfterChanges([error], [{ range: span(3, 12, 3, 15), text: '' }]), [error]);
    });

    it('moves an error after the edit with its text', () => {
      // Two lines inserted above: two lines down.
      assert.deepEqual(rangesAfterChanges([error], [{ range: span(0, 0, 0, 0), text: '-- a\n-- b\n' }]), [span(5, 7, 5, 11)]);
      // Text inserted earlier on its line: further right.
      assert.deepEqual(rangesAfterChanges([error], [{ range: span(3, 0, 3, 0), text: '  ' }]), [span(3, 9, 3, 13)]);
      // A line break typed earlier on its line: onto the next line, columns from the break.
      assert.deepEqual(rangesAfterChanges([error], [{ range: span(3, 6, 3, 6), text: '\n  ' }]), [span(4, 3, 4, 7)]);
      // A line joined to the one above: up one line, after the joined text.
      assert.deepEqual(rangesAfterChanges([error], [{ range: span(2, 5, 3, 0), text: ' ' }]), [span(2, 13, 2, 17)]);
    });

    it('applies several changes in order', () => {
      const second = span(8, 0, 8, 4);
      const moved = rangesAfterChanges(
        [error, second],
        [
          { range: span(6, 0, 6, 0), text: 'x\n' },
          { range: span(3, 9, 3, 10), text: 'p' },
        ],
      );
      assert.deepEqual(moved, [undefined, span(9, 0, 9, 4)]);
    });
  });
});
