// Runs the lint rules over one document. The rule set is empty until the CockroachDB rules
// land; the engine, its settings and the server's diagnostics pipeline are already real.
import type { Diagnostic } from 'vscode-languageserver';

export interface LintContext {
  text: string;
  cockroachVersion: string;
}

export interface LintRule {
  id: string;
  check(context: LintContext): Diagnostic[];
}

export const rules: readonly LintRule[] = [];

export function lint(context: LintContext, ruleSet: readonly LintRule[] = rules): Diagnostic[] {
  return ruleSet.flatMap((rule) => rule.check(context).map((d) => ({ ...d, source: 'crdb-studio', code: rule.id })));
}
