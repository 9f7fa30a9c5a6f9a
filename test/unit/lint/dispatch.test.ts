// The engine calls a rule's check only for the statement types the rule declares it reads
// (Rule.statements), through a table built once per lint instead of calling every rule on every
// statement. That must change nothing but the number of calls: on the rule fixtures and the real
// migrations, the findings with the dispatch equal those of every rule called on every statement,
// and a rule called on a statement type it did not declare never reports. Counted, never timed.
import * as assert from 'node:assert/strict';
import { documentStatementsOnce } from '../../../server/src/analysis/statements';
import { defaultConfig, type LintConfig } from '../../../server/src/lint/config';
import { LintSequence, type LintFinding } from '../../../server/src/lint/engine';
import type { Rule, RuleContext } from '../../../server/src/lint/rule';
import { allRules } from '../../../server/src/lint/rules';
import { realSequences, ruleFixtureFiles } from '../../support/lintFixtures';

interface Counts {
  calls: number;
  /** `rule: statement type` of every report a rule made on a type it did not declare. */
  undeclared: string[];
}

function declares(rule: Rule, type: string): boolean {
  return rule.statements === undefined || rule.statements === 'all' || (rule.statements as readonly string[]).includes(type);
}

/**
 * The rules, each counting its calls; with `everyStatement`, stripped of their declarations (so
 * the engine calls them on every statement) and noting any report on a type they did not declare.
 */
function instrumented(counts: Counts, everyStatement: boolean): Rule[] {
  return allRules.map((rule) => {
    if (!rule.check) return rule;
    return {
      ...rule,
      statements: everyStatement ? undefined : rule.statements,
      check(context: RuleContext) {
        counts.calls++;
        const report = context.report.bind(context);
        const type = context.statement.type;
        context.report = (...args) => {
          if (!declares(rule, type)) counts.undeclared.push(`${rule.id}: ${type}`);
          report(...args);
        };
        try {
          rule.check?.(context);
        } finally {
          context.report = report;
        }
      },
    };
  });
}

interface Compared {
  findings: number;
  dispatched: Counts;
  everyStatement: Counts;
}

/** Lints the files in order both ways, asserting equal findings file by file. */
function compare(files: { uri: string; text: string }[], config: LintConfig, label: string, into: Compared): void {
  const dispatched = new LintSequence(config, instrumented(into.dispatched, false));
  const everyStatement = new LintSequence(config, instrumented(into.everyStatement, true));
  for (const { uri, text } of files) {
    const statements = documentStatementsOnce(text);
    const expected: LintFinding[] = everyStatement.lint({ uri, text, statements });
    assert.deepEqual(dispatched.lint({ uri, text, statements }), expected, `${label}: ${uri}`);
    into.findings += expected.length;
  }
}

function newCompared(): Compared {
  return { findings: 0, dispatched: { calls: 0, undeclared: [] }, everyStatement: { calls: 0, undeclared: [] } };
}

describe('rule dispatch by statement type', () => {
  it('every statement rule declares the statement types it reads', () => {
    for (const rule of allRules) if (rule.check) assert.ok(rule.statements !== undefined, `${rule.id} declares no statement types`);
  });

  it('finds on every rule fixture what calling every rule on every statement finds, with fewer calls', () => {
    const files = ruleFixtureFiles();
    const compared = newCompared();
    // The oldest version the rules know and a recent one: some rules answer by version.
    for (const cockroachVersion of ['v20.1', 'v25.2']) compare(files, { ...defaultConfig(), cockroachVersion }, cockroachVersion, compared);
    assert.deepEqual(compared.everyStatement.undeclared, []);
    assert.ok(compared.findings >= files.length, `${compared.findings} findings on ${files.length} fixtures`);
    assert.ok(compared.dispatched.calls < compared.everyStatement.calls / 2, JSON.stringify(compared));
  });

  it('finds on every real project what calling every rule on every statement finds, with fewer calls', () => {
    const compared = newCompared();
    for (const { project, config, files } of realSequences()) compare(files, config, project, compared);
    assert.deepEqual(compared.everyStatement.undeclared, []);
    assert.ok(compared.findings >= 100, `${compared.findings} findings compared`);
    assert.ok(compared.dispatched.calls < compared.everyStatement.calls / 2, JSON.stringify(compared));
  });

  it('calls on a CREATE TABLE and its CREATE INDEX only the rules that declare those types', () => {
    const text = [
      'CREATE TABLE t (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), at TIMESTAMPTZ NOT NULL);',
      'CREATE INDEX t_by_at ON t (at);',
      'SELECT 1;',
    ].join('\n');
    const counts: Counts = { calls: 0, undeclared: [] };
    new LintSequence(defaultConfig(), instrumented(counts, false)).lint({ uri: 'a.sql', text, statements: documentStatementsOnce(text) });
    const declaring = (type: string): number => allRules.filter((rule) => rule.check !== undefined && declares(rule, type)).length;
    assert.equal(counts.calls, declaring('create-table') + declaring('create-index') + declaring('other'));
    assert.ok(declaring('create-index') < allRules.filter((rule) => rule.check !== undefined).length / 2);
  });
});
