// Runs the rules over a file's statements, with the schema model built from the files before it
// and from the file's own earlier statements. Spans in findings are document offsets.
import type { DocumentStatement } from '../analysis/statements';
import { SchemaModel } from '../schema/model';
import type * as ast from '../../../sql/src/ast';
import { defaultConfig, type LintConfig } from './config';
import { allRules } from './rules';
import type { Edit, Fix, Rule, RuleContext, Severity } from './rule';
import { suppressedForFile, suppressedForStatement, suppressionComment } from './suppression';
import { parseVersion } from './version';

export interface SourceFile {
  uri: string;
  text: string;
  statements: readonly DocumentStatement[];
}

export interface LintFinding {
  rule: string;
  severity: Severity;
  start: number;
  end: number;
  message: string;
  docs?: string;
  /** The rule's fixes, with edits relative to `offset`; fixesFor() makes them usable. */
  fixes: Fix[];
  offset: number;
  /** Where the finding's statement starts (a suppression comment goes on its line). */
  statementStart: number;
}

export const SYNTAX_RULE = 'syntax-error';

/** A finding's fixes with document offsets, plus "Ignore <rule> for this statement". */
export function fixesFor(finding: LintFinding, text: string): Fix[] {
  const fixes = finding.fixes.map((fix) => shift(fix, finding.offset));
  if (finding.rule !== SYNTAX_RULE) fixes.push(ignoreFix(text, finding.statementStart, finding.rule));
  return fixes;
}

interface CachedFindings {
  /** Model keys the rules read, and the version each had (parallel arrays: a hot loop). */
  keys: string[];
  versions: number[];
  /** Findings with spans relative to the statement. */
  findings: Omit<LintFinding, 'offset' | 'statementStart'>[];
}

/** What the last lint of a document left behind, to start the next one from. */
interface Session {
  /** The files before this one, by their statement lists (the same lists while unchanged). */
  before: (readonly DocumentStatement[])[];
  model: SchemaModel;
  /** Per statement of the last lint: the statement, where it was, the undo log before it, its findings. */
  applied: { parsed: ast.ParsedStatement; offset: number; undoMark: number; findings: LintFinding[] }[];
}

/**
 * Rule findings per statement, reused while the statement object (same text), the
 * configuration and every model entry the rules read are unchanged: after an edit only the
 * edited statement and the statements that depend on what it changed are checked again.
 */
export class LintCache {
  private key = '';
  private entries = new WeakMap<ast.ParsedStatement, CachedFindings>();
  /**
   * The model as the last lint left it, with an undo log: the next lint rolls it back only to
   * the first statement that changed, instead of replaying the whole file.
   */
  session: Session | undefined;

  /** Forgets everything when the configuration or the active rules change. */
  use(key: string): void {
    if (key === this.key) return;
    this.key = key;
    this.entries = new WeakMap();
    this.session = undefined;
  }

  /**
   * The session's model as it stood before statement `index` of the file last linted, for hover
   * and completion to read instead of building a model of their own. Statements from `index` on
   * are rolled back: the next lint applies them again, their findings from the cache. Undefined
   * when the session does not reach that far.
   */
  modelBefore(index: number): SchemaModel | undefined {
    const session = this.session;
    if (!session || index > session.applied.length) return undefined;
    const mark = session.applied[index]?.undoMark;
    if (mark !== undefined) {
      session.model.undoTo(mark);
      session.applied.length = index;
    }
    return session.model;
  }

  get(parsed: ast.ParsedStatement, model: SchemaModel): CachedFindings | undefined {
    const entry = this.entries.get(parsed);
    if (!entry) return undefined;
    const { keys, versions } = entry;
    for (let i = 0; i < keys.length; i++) if (model.version(keys[i] ?? '') !== versions[i]) return undefined;
    return entry;
  }

  set(parsed: ast.ParsedStatement, entry: CachedFindings): void {
    this.entries.set(parsed, entry);
  }
}

/**
 * Statements whose findings are always computed afresh: rules look beyond their model reads for
 * them (read-only-transaction looks ahead from BEGIN; secondary-region-regional-by-row scans the
 * database's tables at ALTER DATABASE). Both are rare and cheap.
 */
const UNCACHED = new Set<ast.Statement['type']>(['begin', 'alter-database']);

/** Replays files into a model, in order (the statements before the file being linted). */
export function buildModel(files: readonly SourceFile[], model = new SchemaModel()): SchemaModel {
  for (const file of files) for (const s of file.statements) model.apply(s.parsed, file.uri, s.offset);
  return model;
}

function shift(fix: Fix, offset: number): Fix {
  return { ...fix, edits: fix.edits.map((edit: Edit) => ({ start: edit.start + offset, end: edit.end + offset, newText: edit.newText })) };
}

function ignoreFix(text: string, statementStart: number, rule: string): Fix {
  const lineStart = text.lastIndexOf('\n', statementStart - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, statementStart))?.[0] ?? '';
  return {
    title: `Ignore ${rule} for this statement`,
    edits: [{ start: lineStart, end: lineStart, newText: suppressionComment(rule, indent) }],
  };
}

function sameBefore(session: Session, before: readonly SourceFile[]): boolean {
  return session.before.length === before.length && before.every((file, i) => session.before[i] === file.statements);
}

/** The rules a file's configuration and file-wide suppressions leave on, with their severities. */
interface ActiveRules {
  rules: Rule[];
  severities: Severity[];
  /** Identifies the configuration and the active rules (cached findings hold only under it). */
  key: string;
}

function activeRules(file: SourceFile, config: LintConfig, rules: readonly Rule[]): ActiveRules {
  const fileSuppressed = suppressedForFile(file.text);
  const active = rules.filter((rule) => (config.rules[rule.id] ?? rule.defaultSeverity) !== 'off' && !fileSuppressed.has(rule.id));
  const severities = active.map((rule) => (config.rules[rule.id] ?? rule.defaultSeverity) as Severity);
  return {
    rules: active,
    severities,
    key: `${config.cockroachVersion}|${active.map((rule, i) => `${rule.id}:${severities[i] ?? ''}`).join(',')}`,
  };
}

export function lintFile(
  file: SourceFile,
  before: readonly SourceFile[] = [],
  config: LintConfig = defaultConfig(),
  rules: readonly Rule[] = allRules,
  cache?: LintCache,
): LintFinding[] {
  const active = activeRules(file, config, rules);
  cache?.use(active.key);

  // Reuse the last lint's model and findings up to the first statement that changed.
  let session = cache?.session;
  let first = 0;
  if (session && sameBefore(session, before)) {
    const applied = session.applied;
    while (first < applied.length && first < file.statements.length) {
      const previous = applied[first];
      const current = file.statements[first];
      if (!previous || !current || previous.parsed !== current.parsed || previous.offset !== current.offset) break;
      first++;
    }
    // A BEGIN's findings depend on the statements after it, up to its COMMIT (read-only-
    // transaction looks ahead): an open transaction before the change is linted again.
    for (let i = first - 1; i >= 0; i--) {
      const statement = file.statements[i]?.parsed.statement;
      if (statement?.type === 'other' && (statement.kind === 'commit' || statement.kind === 'rollback')) break;
      if (statement?.type === 'begin') {
        first = i;
        break;
      }
    }
    session.model.undoTo(applied[first]?.undoMark ?? session.model.undoLog?.length ?? 0);
    applied.length = first;
  } else {
    const model = buildModel(before);
    if (cache) model.undoLog = [];
    session = { before: before.map((f) => f.statements), model, applied: [] };
    if (cache) cache.session = session;
  }
  lintStatements(file, first, session.model, session.applied, active, config, cache);
  return findingsOf(session.applied);
}

function findingsOf(applied: Session['applied']): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const statement of applied) for (const finding of statement.findings) findings.push(finding);
  return findings;
}

/**
 * Lints files one after another, each seeing the schema the files before it built, with one
 * model carried from file to file (the CLI): the cost grows with the statements, not with their
 * square. The findings are those of lintFile(file, <the files linted before>).
 */
export class LintSequence {
  private readonly model = new SchemaModel();

  constructor(
    private readonly config: LintConfig = defaultConfig(),
    private readonly rules: readonly Rule[] = allRules,
  ) {}

  lint(file: SourceFile): LintFinding[] {
    const applied: Session['applied'] = [];
    lintStatements(file, 0, this.model, applied, activeRules(file, this.config, this.rules), this.config);
    return findingsOf(applied);
  }
}

/**
 * Lints the file's statements from index `first` on, each against `model` as the statements
 * before it left it, then applies it: `applied` and `model` end up covering the whole file.
 */
function lintStatements(
  file: SourceFile,
  first: number,
  model: SchemaModel,
  applied: Session['applied'],
  { rules: active, severities }: ActiveRules,
  config: LintConfig,
  cache?: LintCache,
): void {
  // One context per statement, the current rule in a variable: linting a large file allocates
  // little beyond its findings.
  let rule: Rule | undefined;
  let severity: Severity = 'warning';
  let fresh: CachedFindings['findings'] = [];
  const context: RuleContext = {
    statement: undefined as unknown as ast.Statement,
    parsed: undefined as unknown as ast.ParsedStatement,
    statements: file.statements,
    index: 0,
    model,
    cockroachVersion: parseVersion(config.cockroachVersion),
    report: (span: ast.Span, message: string, fixes: Fix[] = []) => {
      if (rule) fresh.push({ rule: rule.id, severity, start: span.start, end: span.end, message, docs: rule.docs, fixes });
    },
  };

  for (let index = first; index < file.statements.length; index++) {
    const documentStatement = file.statements[index];
    if (!documentStatement) continue;
    const { parsed } = documentStatement;
    const offset = documentStatement.offset;
    const statementStart = offset + parsed.start;
    const placed: LintFinding[] = [];
    for (const error of parsed.errors) {
      placed.push({
        rule: SYNTAX_RULE,
        severity: 'error',
        start: offset + error.start,
        end: offset + error.end,
        message: error.message,
        fixes: [],
        offset,
        statementStart,
      });
    }
    // The statement object stands for its text, comments (suppressions) included.
    const cacheable = cache !== undefined && !UNCACHED.has(parsed.statement.type);
    let entry = cacheable ? cache.get(parsed, model) : undefined;
    if (!entry) {
      fresh = [];
      const suppressed =
        documentStatement.comments.length > 0 ? suppressedForStatement(documentStatement.comments, parsed.start) : undefined;
      context.statement = parsed.statement;
      context.parsed = parsed;
      context.index = index;
      if (cacheable) model.reads = [];
      for (let r = 0; r < active.length; r++) {
        rule = active[r];
        if (!rule || suppressed?.has(rule.id)) continue;
        severity = severities[r] ?? rule.defaultSeverity;
        rule.check(context);
      }
      rule = undefined;
      entry = { keys: [], versions: [], findings: fresh };
      if (cacheable && model.reads) {
        entry.keys = model.reads;
        entry.versions = entry.keys.map((key) => model.version(key));
        cache.set(parsed, entry);
        model.reads = undefined;
      }
    }
    for (const f of entry.findings) {
      // Spelled out rather than spread: this runs for every finding of every re-linted statement.
      const finding: LintFinding = {
        rule: f.rule,
        severity: f.severity,
        start: offset + f.start,
        end: offset + f.end,
        message: f.message,
        fixes: f.fixes,
        offset,
        statementStart,
      };
      if (f.docs !== undefined) finding.docs = f.docs;
      placed.push(finding);
    }
    applied.push({ parsed, offset, undoMark: model.undoLog?.length ?? 0, findings: placed });
    model.apply(parsed, file.uri, offset);
  }
}
