// What a lint rule is, and what it sees. One rule per file under rules/.
import type { DocumentStatement } from '../analysis/statements';
import type { SchemaModel } from '../schema/model';
import type * as ast from '../../../sql/src/ast';
import type { CockroachVersion } from './version';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A replacement of [start, end) with newText; offsets relative to the statement's `offset`. */
export interface Edit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: Edit[];
  /** The fix an editor applies for "fix all" / the preferred quick fix. */
  preferred?: boolean;
}

export interface RuleContext {
  statement: ast.Statement;
  parsed: ast.ParsedStatement;
  /** The document's statements and this one's index among them, for rules that look around. */
  statements: readonly DocumentStatement[];
  index: number;
  /** The schema as the statements before this one built it. */
  model: SchemaModel;
  cockroachVersion: CockroachVersion;
  report(span: ast.Span, message: string, fixes?: Fix[]): void;
}

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** One line, shown in hover and the rule catalogue. */
  title: string;
  /** Why it matters on CockroachDB, in Markdown, for hover. */
  description: string;
  /** The CockroachDB documentation page the rule follows. */
  docs: string;
  check(context: RuleContext): void;
}

export const DOCS = 'https://www.cockroachlabs.com/docs/stable/';
