// What a lint rule is, and what it sees. One rule per file under rules/.
import type { DocumentStatement } from '../analysis/statements';
import type { DatabaseInfo, Origin, SchemaModel, TableInfo } from '../schema/model';
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
  /** The document's uri: a model Origin with it is a statement of this document, before this one. */
  uri: string;
  /** The schema as the statements before this one built it. */
  model: SchemaModel;
  cockroachVersion: CockroachVersion;
  report(span: ast.Span, message: string, fixes?: Fix[]): void;
}

/**
 * What a shape rule sees: one table that the file being judged created or changed, as the whole
 * file left it (a migration is judged where it ends, not statement by statement).
 */
export interface ShapeContext {
  table: TableInfo;
  /** The table's database, when the model knows it. */
  database: DatabaseInfo | undefined;
  model: SchemaModel;
  cockroachVersion: CockroachVersion;
  /** Whether a statement of the file being judged is this origin (only those carry its findings). */
  inFile: (origin: Origin | undefined) => origin is Origin;
  /** The later of two origins in the file being judged (undefined when neither is in it). */
  latest: (...origins: (Origin | undefined)[]) => Origin | undefined;
  /** Reports on a statement of the file: `span` and the fixes' edits are relative to `at.offset`. */
  report: (at: Origin, span: ast.Span, message: string, fixes?: Fix[]) => void;
}

/**
 * A rule is a *statement* rule (`check`: the risk of one statement, judged against the schema
 * the statements before it built), a *shape* rule (`checkShape`: the shape of the schema a file
 * leaves behind — a redundant index, a table without a key or locality), or both.
 */
export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** One line, shown in hover and the rule catalogue. */
  title: string;
  /** Why it matters on CockroachDB, in Markdown, for hover. */
  description: string;
  /** The CockroachDB documentation page the rule follows. */
  docs: string;
  /**
   * The statement types `check` reads: the engine calls it only for these ('all' for a rule that
   * reads every statement). A short lint runs cold code, so each call not made counts.
   */
  statements?: readonly ast.Statement['type'][] | 'all';
  check?(context: RuleContext): void;
  checkShape?(context: ShapeContext): void;
}

export const DOCS = 'https://www.cockroachlabs.com/docs/stable/';
