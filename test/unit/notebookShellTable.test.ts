// The tables `cockroach node status` and `cockroach sql -e` print, read back as columns and rows
// with the row count the footer gives (not one row per printed line).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parsePrintedTable, printsTable, tabulateShellOutcome } from '../../client/src/notebook/shellTable';
import { formatTable } from '../../cluster/src/nodeStatus';
import type { StatementOutcome } from '../../runner/src/types';

function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

function shellOutcome(output: string, tag = 'SHELL'): StatementOutcome {
  return {
    columns: [{ name: 'output', type: 'STRING', typeOid: 25 }],
    rows: lines(output).map((l) => [l]),
    hasMore: false,
    more: () => Promise.resolve({ rows: [], hasMore: false }),
    close: () => Promise.resolve(),
    tag,
    rowCount: lines(output).length,
    elapsedMs: 1,
    notices: [],
    transaction: 'idle',
  };
}

const NODE_STATUS = [
  '  id |     address     |   sql_address   |  build  |       started_at        |       updated_at        |       locality       | is_available | is_live',
  '-----+-----------------+-----------------+---------+-------------------------+-------------------------+----------------------+--------------+----------',
  '   1 | 127.0.0.1:26257 | 127.0.0.1:26257 | v25.2.0 | 2026-12-02 15:45:36.978 | 2026-12-02 15:45:44.068 | region=us-east1,az=b | true         | true',
  '   2 | 127.0.0.1:26258 | 127.0.0.1:26258 | v25.2.0 | 2026-12-02 15:45:36.978 | 2026-12-02 15:45:44.068 | region=us-east1,az=c | true         | true',
  '   3 | 127.0.0.1:26259 | 127.0.0.1:26259 | v25.2.0 | 2026-12-02 15:45:36.978 | 2026-12-02 15:45:44.068 | region=us-east1,az=d | false        | false',
  '(3 rows)',
].join('\n');

describe('shell output tables', () => {
  it('knows which commands print a table', () => {
    assert.ok(printsTable('cockroach node status --insecure --host=localhost:26257'));
    assert.ok(printsTable('./cockroach node status --ranges'));
    assert.ok(printsTable('cockroach sql --insecure -e "SHOW DATABASES"'));
    assert.ok(printsTable("cockroach sql --insecure --execute='SELECT 1'"));
    assert.ok(printsTable('COCKROACH_URL=x cockroach sql -e "SELECT 1"'));
    assert.ok(!printsTable('cockroach sql --insecure'));
    assert.ok(!printsTable('cockroach node decommission 4 --insecure'));
    assert.ok(!printsTable('echo cockroach node status'));
    assert.doesNotThrow(() => printsTable('cockroach sql -e "unterminated'));
  });

  it('reads `cockroach node status` as three rows with every column', () => {
    const table = parsePrintedTable(lines(NODE_STATUS));
    assert.ok(table);
    assert.deepEqual(table.columns, [
      'id',
      'address',
      'sql_address',
      'build',
      'started_at',
      'updated_at',
      'locality',
      'is_available',
      'is_live',
    ]);
    assert.equal(table.rows.length, 3);
    assert.deepEqual(table.rows[2], [
      '3',
      '127.0.0.1:26259',
      '127.0.0.1:26259',
      'v25.2.0',
      '2026-12-02 15:45:36.978',
      '2026-12-02 15:45:44.068',
      'region=us-east1,az=d',
      'false',
      'false',
    ]);
  });

  it('turns a node status outcome into a grid and leaves other output as text', () => {
    const tabulated = tabulateShellOutcome('cockroach node status --insecure', shellOutcome(NODE_STATUS));
    assert.equal(tabulated.columns.length, 9);
    assert.equal(tabulated.rowCount, 3);
    assert.equal(tabulated.tag, 'SHELL');
    const other = shellOutcome('workload initialized');
    assert.equal(tabulateShellOutcome('cockroach workload init movr', other), other);
    // The same lines from a command that does not print a table are left alone.
    const echoed = shellOutcome(NODE_STATUS);
    assert.equal(tabulateShellOutcome('cat status.txt', echoed), echoed);
  });

  it('keeps text that is not exactly one table', () => {
    assert.equal(parsePrintedTable(['SET']), undefined);
    assert.equal(parsePrintedTable([...lines(NODE_STATUS), '', ...lines(NODE_STATUS)]), undefined);
    assert.equal(parsePrintedTable(['NOTICE: x', ...lines(NODE_STATUS)]), undefined);
    assert.equal(parsePrintedTable(['----', 'a']), undefined);
    assert.equal(parsePrintedTable(lines(NODE_STATUS).slice(0, 3).concat('(5 rows)')), undefined);
  });

  it('reads a column named with dashes as a header, not as the rule', () => {
    const read = parsePrintedTable(['  -', ' ---', '(0 rows)']);
    assert.deepEqual(read, { columns: ['-'], rows: [] });
  });

  it('reads back any table CockroachDB’s table format prints, multi-line values included', () => {
    const cell = fc.string({ maxLength: 8 }).map((s) => s.replace(/[\n\r]/g, '').trim());
    const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
      fc.record({
        columns: fc.array(
          cell.filter((c) => c !== ''),
          { minLength: width, maxLength: width },
        ),
        rows: fc.array(
          fc.tuple(
            cell.filter((c) => c !== ''),
            fc.array(
              fc.array(cell, { minLength: 1, maxLength: 2 }).map((parts) => parts.join('\n')),
              { minLength: width - 1, maxLength: width - 1 },
            ),
          ),
          { maxLength: 6 },
        ),
        align: fc.constantFrom(undefined, 'l', 'r', 'c'),
      }),
    );
    fc.assert(
      fc.property(table, ({ columns, rows, align }) => {
        const full = rows.map(([first, rest]) => [first, ...rest]);
        const printed = formatTable(
          align === undefined ? { columns, rows: full } : { columns, rows: full, align: align.repeat(columns.length) },
        );
        const read = parsePrintedTable(lines(printed));
        assert.ok(read, printed);
        assert.deepEqual(read.columns, columns);
        // Cells come back trimmed; a value's empty later lines are not told from padding.
        const expected = full.map((row) => row.map((value) => value.replace(/\n(?=\n|$)/g, '').replace(/^\n+/, '')));
        assert.equal(read.rows.length, full.length);
        assert.deepEqual(
          read.rows.map((row) => row.map((v) => v.replace(/\n(?=\n|$)/g, '').replace(/^\n+/, ''))),
          expected,
        );
      }),
      { numRuns: 500 },
    );
  });
});
