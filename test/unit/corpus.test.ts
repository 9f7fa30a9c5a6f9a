// The parser on 3,871 real CockroachDB statements (shared/corpus): no crash, and at most 1%
// of them with a syntax error. Most of the rest are documentation placeholders ({name}, <a | b>).
import * as assert from 'node:assert/strict';
import { parseDocument } from '../../sql/src/parser';
import { corpusStatements } from '../support/corpus';

describe('parser on the CockroachDB corpus', () => {
  let statements: string[] = [];
  before(() => {
    statements = corpusStatements();
  });

  it('reads the whole corpus', () => {
    assert.equal(statements.length, 3871);
  });

  it('parses every statement without throwing, and flags at most 1% with a syntax error', () => {
    const failing: string[] = [];
    for (const statement of statements) {
      const document = parseDocument(statement);
      const errors = document.statements.flatMap((s) => s.errors);
      if (errors.length > 0) failing.push(`${statement.slice(0, 100)} ⟶ ${errors[0]?.message ?? ''}`);
    }
    const share = failing.length / statements.length;
    assert.ok(
      share <= 0.01,
      `${failing.length} statements (${(share * 100).toFixed(2)}%) have errors, e.g.:\n${failing.slice(0, 20).join('\n')}`,
    );
  });

  it('gives every DDL statement of the corpus a tree, not just a classification', () => {
    const untreed = statements.filter((statement) => {
      if (!/^(create (table|database|sequence|(unique )?index)|alter (table|database))\b/i.test(statement)) return false;
      const [parsed] = parseDocument(statement).statements;
      return parsed?.statement.type === 'other';
    });
    assert.deepEqual(untreed.slice(0, 5), []);
  });
});
