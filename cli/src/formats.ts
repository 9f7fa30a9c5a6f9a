// Output formats of `crdb-studio lint`: text, json, sarif (2.1.0) and github (workflow commands).
import type { Rule, Severity } from '../../server/src/lint/rule';

export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
}

export function formatText(findings: readonly Finding[], files: number): string {
  const lines = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.message} [${f.rule}]`);
  lines.push(`${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

/**
 * JSON.stringify(findings, null, 2), written out per finding: the same text, without the
 * indenting serialiser walking every object (thousands of findings on a large schema), and
 * each file name quoted once.
 */
export function formatJson(findings: readonly Finding[]): string {
  if (findings.length === 0) return '[]\n';
  const quoted = new Map<string, string>();
  const quote = (text: string): string => {
    let json = quoted.get(text);
    if (json === undefined) {
      json = JSON.stringify(text);
      quoted.set(text, json);
    }
    return json;
  };
  const parts: string[] = [];
  for (const f of findings) {
    parts.push(
      `  {\n    "file": ${quote(f.file)},\n    "line": ${f.line},\n    "column": ${f.column},\n    "endLine": ${f.endLine},\n` +
        `    "endColumn": ${f.endColumn},\n    "rule": ${quote(f.rule)},\n    "severity": ${quote(f.severity)},\n` +
        `    "message": ${JSON.stringify(f.message)}\n  }`,
    );
  }
  return `[\n${parts.join(',\n')}\n]\n`;
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(findings: readonly Finding[], rules: readonly Rule[], version: string): string {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'crdb-studio',
            version,
            informationUri: 'https://www.cockroachlabs.com/docs/stable/',
            rules: rules.map((rule) => ({
              id: rule.id,
              name: rule.id,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.description },
              helpUri: rule.docs,
              defaultConfiguration: { level: SARIF_LEVEL[rule.defaultSeverity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file.split('\\').join('/').replace(/^\.\//, ''), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

const GITHUB_LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(findings: readonly Finding[]): string {
  return findings
    .map(
      (f) =>
        `::${GITHUB_LEVEL[f.severity]} file=${escapeProperty(f.file)},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn},title=${escapeProperty(`crdb-studio ${f.rule}`)}::${escapeData(f.message)}\n`,
    )
    .join('');
}
