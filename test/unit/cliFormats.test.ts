// `crdb-studio lint --format json` writes each finding out itself: the text must be exactly
// JSON.stringify(findings, null, 2), whatever the file names and messages hold.
import * as assert from 'node:assert/strict';
import { formatJson, type Finding } from '../../cli/src/formats';

function finding(i: number): Finding {
  return {
    file: i % 2 === 0 ? 'migrations/001.sql' : 'C:\\schemas\\"quoted" é.sql',
    line: i + 1,
    column: 2 * i + 1,
    endLine: i + 2,
    endColumn: 7,
    rule: i % 3 === 0 ? 'sequential-index' : 'syntax-error',
    severity: i % 2 === 0 ? 'warning' : 'error',
    message: `message ${i}: "quotes", a \\ backslash, a tab\t, a newline\n, \u0001, \u2028, é and 😀`,
  };
}

describe('CLI JSON format', () => {
  it('writes what JSON.stringify(findings, null, 2) writes, for none, one and many findings', () => {
    for (const count of [0, 1, 2, 7]) {
      const findings = Array.from({ length: count }, (_, i) => finding(i));
      assert.equal(formatJson(findings), `${JSON.stringify(findings, null, 2)}\n`, `${count} findings`);
    }
  });
});
