// The project's own logic-test files (test/logic/, CockroachDB's logic-test format, written for
// this project) each run on a fresh simulated cluster; every statement must behave as
// CockroachDB's does. A second part checks that the runner itself notices wrong answers.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatLogicReport } from '../../../cluster/src/logictest/report';
import { runLogicFile } from '../../../cluster/src/logictest/runner';

const LOGIC_DIR = join(__dirname, '..', '..', '..', '..', 'test', 'logic');

describe('logic tests (test/logic)', function () {
  const files = readdirSync(LOGIC_DIR).filter((f) => !f.startsWith('.') && !f.endsWith('.md'));

  it('has files to run', () => {
    assert.ok(files.length > 0, `no logic-test files in ${LOGIC_DIR}`);
  });

  for (const file of files) {
    it(file, async () => {
      const report = await runLogicFile(readFileSync(join(LOGIC_DIR, file), 'utf8'));
      assert.ok(report.outcomes.length > 0, `${file} ran no statement`);
      const failed = report.outcomes.filter((o) => !o.passed);
      assert.equal(failed.length, 0, formatLogicReport(file, report, true));
    });
  }
});

describe('logic-test runner', function () {
  it('reports a wrong result, a missing error and a wrong error as failures, and passes the rest', async () => {
    const report = await runLogicFile(
      [
        'statement ok',
        'CREATE TABLE t (k INT PRIMARY KEY, v STRING)',
        '',
        'statement count 2',
        "INSERT INTO t VALUES (1, 'a'), (2, NULL)",
        '',
        'query IT rowsort',
        'SELECT k, v FROM t',
        '----',
        '2  NULL',
        '1  a',
        '',
        'query IT',
        'SELECT k, v FROM t ORDER BY k',
        '----',
        '1  a',
        '2  b',
        '',
        'statement error pgcode 42P01 relation "nope" does not exist',
        'SELECT * FROM nope',
        '',
        'statement error does not exist',
        'SELECT 1',
        '',
        'statement error pgcode 42601 .*',
        'SELECT * FROM nope',
        '',
        'skipif config local',
        'statement ok',
        'SELECT definitely not sql',
        '',
        'let $k',
        'SELECT max(k) FROM t',
        '',
        'query B colnames',
        'SELECT $k = 2 AS two',
        '----',
        'two',
        'true',
        '',
      ].join('\n'),
    );
    assert.equal(report.config, 'local');
    assert.equal(report.skipped, 1);
    assert.deepEqual(
      report.outcomes.map((o) => [o.line, o.passed]),
      [
        [1, true],
        [4, true],
        [7, true],
        [13, false],
        [19, true],
        [22, false],
        [25, false],
        [32, true],
        [35, true],
      ],
    );
  });

  it('lays the cluster out as the file’s configuration and runs statements as the user named', async () => {
    const report = await runLogicFile(
      [
        '# LogicTest: multiregion-9node-3region-3azs',
        '',
        'query TT',
        "SELECT region, array_to_string(zones, ',') FROM [SHOW REGIONS FROM CLUSTER] ORDER BY region",
        '----',
        'ap-southeast-2  ap-az1,ap-az2,ap-az3',
        'ca-central-1    ca-az1,ca-az2,ca-az3',
        'us-east-1       us-az1,us-az2,us-az3',
        '',
        'user testuser',
        '',
        'query T',
        'SELECT current_user',
        '----',
        'testuser',
        '',
      ].join('\n'),
    );
    assert.equal(report.config, 'multiregion-9node-3region-3azs');
    assert.deepEqual(
      report.outcomes.map((o) => o.passed),
      [true, true],
      formatLogicReport('inline', report, true),
    );
  });
});
