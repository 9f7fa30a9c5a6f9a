// A logic-test run as text: one line per file, and with --verbose each failure with its line.
import type { LogicReport } from './runner';

export function formatLogicReport(file: string, report: LogicReport, verbose: boolean): string {
  const passed = report.outcomes.filter((o) => o.passed).length;
  const lines = [
    `${file} [${report.config}]: ${passed}/${report.outcomes.length} passed${report.skipped > 0 ? `, ${report.skipped} skipped` : ''}`,
  ];
  if (verbose)
    for (const outcome of report.outcomes.filter((o) => !o.passed))
      lines.push(`  ${file}:${outcome.line}: ${firstLine(outcome.sql)}\n    ${(outcome.reason ?? '').split('\n').join('\n    ')}`);
  return `${lines.join('\n')}\n`;
}

function firstLine(sql: string): string {
  const line = sql.split('\n')[0] ?? '';
  return sql.includes('\n') ? `${line} …` : line;
}
