// Suppression comments:
//   -- crdb-studio-ignore <rule>[, <rule>]: reason     the next statement
//   -- crdb-studio-ignore-file <rule>[, <rule>]         the whole file
import type { Token } from '../../../sql/src/lexer';

const NEXT = /^\s*crdb-studio-ignore\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;
const FILE = /--\s*crdb-studio-ignore-file\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/g;

function ruleList(list: string): string[] {
  return list.split(',').map((rule) => rule.trim());
}

/** Rules silenced for one statement: comments in its text before `statementStart`. */
export function suppressedForStatement(comments: readonly Token[], statementStart: number): Set<string> {
  const rules = new Set<string>();
  for (const comment of comments) {
    if (comment.start >= statementStart) break;
    const match = NEXT.exec(comment.value);
    if (match?.[1]) ruleList(match[1]).forEach((rule) => rules.add(rule));
  }
  return rules;
}

/** What every file-wide suppression comment holds: a text without it silences nothing file-wide. */
export const FILE_SUPPRESSION_MARK = 'crdb-studio-ignore-file';

export function suppressedForFile(text: string): Set<string> {
  const rules = new Set<string>();
  if (!text.includes(FILE_SUPPRESSION_MARK)) return rules;
  for (const match of text.matchAll(FILE)) if (match[1]) ruleList(match[1]).forEach((rule) => rules.add(rule));
  return rules;
}

/** The comment a quick fix inserts above a statement. */
export function suppressionComment(rule: string, indent: string): string {
  return `${indent}-- crdb-studio-ignore ${rule}: reason\n`;
}
