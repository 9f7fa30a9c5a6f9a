// Runs the rules over a file's statements, with the schema model built from the files before it
// and from the file's own earlier statements. Spans in findings are document offsets.
//
// Two kinds of findings. Statement findings (Rule.check) are about one statement's own risk and
// are judged against the schema as the statements before it left it. Shape findings
// (Rule.checkShape) are about the schema's shape — a redundant index, a table without a primary
// key or a locality — and are judged where a migration ends: at the end of each file, against
// the model as the whole file left it, for the tables the file created or changed, and reported
// on the statement of the file that last shaped what the finding is about. A migration that
// creates a replacement index and drops the old one, or sets a table's locality after creating
// it, is then judged by what it leaves, not by its intermediate steps.
import { KeyIndex } from '../analysis/dependencies';
import { FindingList, withShapeFindings, type StatementSplice } from './findingList';
import { countBelow } from '../analysis/sortedNumbers';
import type { DocumentStatement, StatementChange } from '../analysis/statements';
import { SchemaModel, type AppliedAccess, type KeyState, type Origin } from '../schema/model';
import type * as ast from '../../../sql/src/ast';
import { defaultConfig, type LintConfig } from './config';
import { allRules } from './rules';
import type { Edit, Fix, Rule, RuleContext, Severity, ShapeContext } from './rule';
import { suppressedForFile, suppressedForStatement, suppressionComment } from './suppression';
import { parseVersion } from './version';

export interface SourceFile {
  uri: string;
  text: string;
  statements: readonly DocumentStatement[];
  /** Which StatementCache generation `statements` is, and how it differs from the one before (see StatementChange). */
  generation?: number;
  change?: StatementChange;
  /**
   * The rules the file's crdb-studio-ignore-file comments silence, when the caller knows them
   * without reading the whole text (else they are read from `text`).
   */
  fileSuppressed?: ReadonlySet<string>;
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

/** A shape finding, on the statement `parsed` (spans relative to it), until it is placed in the file. */
interface ShapeFinding {
  rule: string;
  severity: Severity;
  parsed: ast.ParsedStatement;
  start: number;
  end: number;
  message: string;
  docs?: string;
  fixes: Fix[];
}

interface CachedShape {
  keys: string[];
  versions: number[];
  findings: ShapeFinding[];
  /** The shape pass that last reported these findings (a key is judged once a pass). */
  pass?: number;
}

/** getShape's answer for a key the current pass has already judged. */
const DONE = 'done';

/** One statement as a lint left it. */
interface AppliedStatement {
  /** The document's statement: the same object while its text is unchanged (its offset follows edits above it). */
  statement?: DocumentStatement;
  parsed: ast.ParsedStatement;
  /** Anchored to `statement`: they read their offsets from it, so an edit above moves them without a write. */
  findings: LintFinding[];
  /** The model changes applying it made (in a session only): how to revert them, and to make them again. */
  undo?: (() => void)[];
  redo?: (() => void)[];
  /** The rules' cached findings `findings` were placed from. */
  source?: CachedFindings;
  /** What applying it read and changed (recorded in a session only). */
  access?: AppliedAccess;
  /** Its index in the session's list. */
  at: number;
  /** The model keys its application and its rules used, and those its application changed (see KeyIndex). */
  uses: readonly KeyState[];
  writes: readonly KeyState[];
}

const NO_KEYS: readonly KeyState[] = [];

/**
 * Statements rolled back from the end of a session, with the model changes they had made: a
 * statement whose inputs are unchanged when its turn comes again is replayed from these.
 * They are `entries` from index `from` on.
 */
interface Detached {
  entries: AppliedStatement[];
  from: number;
}

/** What the last lint of a document left behind, to start the next one from. */
export interface Session {
  /** The files before this one, by their statement lists (the same lists while unchanged). */
  before: (readonly DocumentStatement[])[];
  /** Their StatementCache generations, when known: a cached list changes in place (see documentStatements). */
  beforeGenerations?: (number | undefined)[];
  model: SchemaModel;
  /** Per statement of the last lint: the statement, where it was, its findings, its model changes. */
  applied: AppliedStatement[];
  /** Statements modelBefore or an edit rolled back, kept to be replayed. */
  detached?: Detached;
  /** The StatementCache generation of the statements last linted, if known. */
  generation?: number;
  /** Positions of BEGIN, COMMIT and ROLLBACK statements, ascending (found again after a full pass). */
  transactions?: number[];
  /** `applied` by the keys each uses and changes, made on the first edit after a full pass. */
  index?: KeyIndex<AppliedStatement>;
  /** The statement of `applied` each parse belongs to (shape findings name the parse). */
  byParsed: WeakMap<ast.ParsedStatement, AppliedStatement>;
  /** The last index of a statement the sparse path cannot pass over (see relintSparsely), or -1. */
  lastBlocking: number;
  /** The tables the file shaped, each once, in the order first shaped; undefined when it must be found again. */
  shapeKeys?: string[];
  /** Per table of shapeKeys, its shape findings as last judged, and all of them in order. */
  shapeResults?: Map<string, ShapeFinding[]>;
  shapes?: ShapeFinding[];
  /** What the last sparse pass changed: the model keys whose versions may have moved, and whether the tables shaped did. */
  changedKeys?: Set<string>;
  tablesShapedChanged?: boolean;
  /** The statements the last sparse pass visited, and the statements it replaced when it changed their count (see FindingList). */
  visited?: number[];
  visitedSplice?: StatementSplice;
  /** The findings as last listed, kept to be patched. */
  listing?: FindingList;
}

/** Whether the sparse path (relintSparsely) cannot pass over the statement. */
function blocking(statement: AppliedStatement): boolean {
  return !statement.access || statement.access.volatile === true || UNCACHED.has(statement.parsed.statement.type);
}

function lastBlockingOf(applied: readonly AppliedStatement[]): number {
  for (let i = applied.length - 1; i >= 0; i--) if (blocking(applied[i] as AppliedStatement)) return i;
  return -1;
}

/**
 * Rolls the session back to before statement `index`, keeping the statements from there on, with
 * their model changes, to be replayed by the next lint.
 */
function detach(session: Session, index: number): void {
  const applied = session.applied;
  if (index >= applied.length) return;
  session.index = undefined;
  for (let k = applied.length - 1; k >= index; k--) {
    const undo = applied[k]?.undo;
    if (undo) for (let c = undo.length - 1; c >= 0; c--) (undo[c] as () => void)();
  }
  let detached: Detached;
  if (index < applied.length - index) {
    // Most statements go: the list itself is kept, and the session goes on with a copy of the rest.
    detached = { entries: applied, from: index };
    session.applied = applied.slice(0, index);
  } else {
    detached = { entries: applied.slice(index), from: 0 };
    applied.length = index;
  }
  const earlier = session.detached;
  // Detached before (modelBefore): they came after these.
  if (earlier) detached = { entries: detached.entries.slice(detached.from).concat(earlier.entries.slice(earlier.from)), from: 0 };
  session.detached = detached;
}

/**
 * Rule findings per statement, reused while the statement object (same text), the
 * configuration and every model entry the rules read are unchanged: after an edit only the
 * edited statement and the statements that depend on what it changed are checked again.
 */
export class LintCache {
  private key = '';
  private entries = new WeakMap<ast.ParsedStatement, CachedFindings>();
  /** Shape findings per table key (`t:<db>.<table>`), while every model entry they read is unchanged. */
  private shapes = new Map<string, CachedShape>();
  /**
   * The model as the last lint left it, with an undo log: the next lint rolls it back only to
   * the first statement that changed, instead of replaying the whole file.
   */
  session: Session | undefined;

  /**
   * What the last lint did per statement (what an edit cost, counted): statements whose rules ran,
   * statements applied to the model anew, statements whose earlier model changes were replayed.
   */
  stats = { checked: 0, applied: 0, replayed: 0 };

  private active: { config: LintConfig; rules: readonly Rule[]; suppressed: ReadonlySet<string>; value: ActiveRules } | undefined;

  /**
   * activeRules, the last answer again while the configuration, the rules and the file's
   * suppressed rules are the same objects (a keystroke made ~18 KB of garbage building them anew).
   */
  activeRules(file: SourceFile, config: LintConfig, rules: readonly Rule[]): ActiveRules {
    const suppressed = file.fileSuppressed;
    const last = this.active;
    if (last && suppressed && last.suppressed === suppressed && last.config === config && last.rules === rules) return last.value;
    const value = activeRules(file, config, rules);
    this.active = suppressed ? { config, rules, suppressed, value } : undefined;
    return value;
  }

  /** Forgets everything when the configuration or the active rules change. */
  use(key: string): void {
    if (key === this.key) return;
    this.key = key;
    this.entries = new WeakMap();
    this.shapes = new Map();
    this.shapeReaders = new Map();
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
    detach(session, index);
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

  /** Numbers the shape passes (see CachedShape.pass). */
  shapePass = 0;

  getShape(key: string, model: SchemaModel, pass: number): CachedShape | typeof DONE | undefined {
    const entry = this.shapes.get(key);
    if (!entry) return undefined;
    if (entry.pass === pass) return DONE;
    const { keys, versions } = entry;
    for (let i = 0; i < keys.length; i++) if (model.version(keys[i] ?? '') !== versions[i]) return undefined;
    return entry;
  }

  setShape(key: string, entry: CachedShape): void {
    this.shapes.set(key, entry);
    for (const read of entry.keys) {
      let readers = this.shapeReaders.get(read);
      if (!readers) {
        readers = new Set();
        this.shapeReaders.set(read, readers);
      }
      readers.add(key);
    }
  }

  /** Per model key, the tables whose shape findings read it (a superset: entries are not taken back). */
  shapeReaders = new Map<string, Set<string>>();
}

/**
 * Statements whose findings are always computed afresh: rules look beyond their model reads for
 * them (read-only-transaction looks ahead from BEGIN; secondary-region-regional-by-row scans the
 * database's tables at ALTER DATABASE). Both are rare and cheap.
 */
const UNCACHED = new Set<ast.Statement['type']>(['begin', 'alter-database']);

/** An empty model with the databases the configuration declares (their DDL lives elsewhere). */
export function newModel(config: LintConfig = defaultConfig()): SchemaModel {
  const model = new SchemaModel();
  if (config.databases) model.declareDatabases(config.databases);
  return model;
}

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
  return (
    session.before.length === before.length &&
    before.every((file, i) => session.before[i] === file.statements && session.beforeGenerations?.[i] === file.generation)
  );
}

/** The rules a file's configuration and file-wide suppressions leave on, with their severities. */
export interface ActiveRules {
  /** Statement rules (with `check`) and their severities. */
  rules: Rule[];
  severities: Severity[];
  /** Shape rules (with `checkShape`) and their severities. */
  shapeRules: Rule[];
  shapeSeverities: Severity[];
  /**
   * Per statement type, the places in `rules` of the rules that read it (Rule.statements), in
   * rule order; a type no rule names gets `everyType` (the rules that read every statement).
   */
  checksByType: ReadonlyMap<ast.Statement['type'], readonly number[]>;
  everyType: readonly number[];
  /** Each rule's place in the rule list: one statement's findings are listed in that order. */
  rank: Map<string, number>;
  /** Identifies the configuration and the active rules (cached findings hold only under it). */
  key: string;
}

export function activeRules(file: SourceFile, config: LintConfig, rules: readonly Rule[]): ActiveRules {
  const fileSuppressed = file.fileSuppressed ?? suppressedForFile(file.text);
  const active = rules.filter((rule) => (config.rules[rule.id] ?? rule.defaultSeverity) !== 'off' && !fileSuppressed.has(rule.id));
  const severityOf = (rule: Rule): Severity => (config.rules[rule.id] ?? rule.defaultSeverity) as Severity;
  const statementRules = active.filter((rule) => rule.check !== undefined);
  const shapeRules = active.filter((rule) => rule.checkShape !== undefined);
  const readsEvery = (rule: Rule): boolean => rule.statements === undefined || rule.statements === 'all';
  const checksByType = new Map<ast.Statement['type'], number[]>();
  for (const rule of statementRules)
    if (!readsEvery(rule)) for (const type of rule.statements as readonly ast.Statement['type'][]) checksByType.set(type, []);
  for (const [type, places] of checksByType)
    statementRules.forEach((rule, r) => {
      if (readsEvery(rule) || (rule.statements as readonly ast.Statement['type'][]).includes(type)) places.push(r);
    });
  return {
    rules: statementRules,
    severities: statementRules.map(severityOf),
    checksByType,
    everyType: statementRules.flatMap((rule, r) => (readsEvery(rule) ? [r] : [])),
    shapeRules,
    shapeSeverities: shapeRules.map(severityOf),
    rank: new Map(active.map((rule, i) => [rule.id, i])),
    key: `${config.cockroachVersion}|${JSON.stringify(config.databases ?? {})}|${active.map((rule) => `${rule.id}:${severityOf(rule)}`).join(',')}`,
  };
}

export function lintFile(
  file: SourceFile,
  before: readonly SourceFile[] = [],
  config: LintConfig = defaultConfig(),
  rules: readonly Rule[] = allRules,
  cache?: LintCache,
): LintFinding[] {
  const active = cache ? cache.activeRules(file, config, rules) : activeRules(file, config, rules);
  cache?.use(active.key);
  if (cache) cache.stats = { checked: 0, applied: 0, replayed: 0 };

  // Reuse the last lint's model and findings up to the first statement that changed.
  let session = cache?.session;
  let first = 0;
  if (session && sameBefore(session, before)) {
    const applied = session.applied;
    // Known from the statement cache when this lint follows the last one's statements directly.
    const change = file.change && session.generation !== undefined && file.change.from === session.generation ? file.change : undefined;
    if (change && !session.detached)
      first = change.first === change.oldEnd && change.oldEnd === change.newEnd ? applied.length : Math.min(change.first, applied.length);
    else {
      // The same statement objects: unchanged text (an edit above only moves them).
      while (first < applied.length && first < file.statements.length) {
        const previous = applied[first];
        const current = file.statements[first];
        // (Its findings and model origins read the statement's offset: moving it changes nothing.)
        if (!previous || !current || previous.statement !== current) break;
        first++;
      }
    }
    // A BEGIN's findings depend on the statements after it, up to its COMMIT (read-only-
    // transaction looks ahead): an open transaction before the change is linted again.
    const edited = first;
    const transactions = session.transactions;
    if (transactions) {
      const mark = transactions[lastBelow(transactions, first)];
      if (mark !== undefined && file.statements[mark]?.parsed.statement.type === 'begin') first = mark;
    } else
      for (let i = first - 1; i >= 0; i--) {
        const statement = file.statements[i]?.parsed.statement;
        if (statement?.type === 'other' && (statement.kind === 'commit' || statement.kind === 'rollback')) break;
        if (statement?.type === 'begin') {
          first = i;
          break;
        }
      }
    session.changedKeys = undefined;
    session.visited = undefined;
    session.visitedSplice = undefined;
    if (
      first !== edited ||
      !cache ||
      session.detached ||
      !transactions ||
      !relintSparsely(file, session, first, active, config, cache, change)
    ) {
      detach(session, first);
      session.index = undefined;
      session.changedKeys = undefined;
      const detached = session.detached;
      session.detached = undefined;
      lintStatements(file, first, session.model, session.applied, active, config, cache, detached, session.byParsed);
      session.lastBlocking = lastBlockingOf(session.applied);
      session.transactions = transactionsOf(file.statements);
      // Indexed here, in a pass over the file anyway, not by the next keystroke (at 100,000 lines, ~100 ms).
      if (cache) session.index = keyIndexOf(session.applied, session.model);
    }
  } else {
    const model = buildModel(before, newModel(config));
    // Without a cache, the keys this file's statements shape are logged as they are applied
    // (with one, each statement's access records them: touchedTables).
    if (!cache) model.touchLog = [];
    session = {
      before: before.map((f) => f.statements),
      beforeGenerations: before.map((f) => f.generation),
      model,
      applied: [],
      byParsed: new WeakMap(),
      lastBlocking: -1,
    };
    if (cache) cache.session = session;
    lintStatements(file, 0, model, session.applied, active, config, cache, undefined, session.byParsed);
    session.lastBlocking = lastBlockingOf(session.applied);
    session.transactions = transactionsOf(file.statements);
    if (cache) session.index = keyIndexOf(session.applied, session.model);
  }
  session.generation = file.generation;
  const shapes = cache ? sessionShapes(file, session, active, config, cache) : judgeShapes(file, session.model, active, config);
  const byParsed = session.byParsed;
  const indexOf = (parsed: ast.ParsedStatement): number | undefined => byParsed.get(parsed)?.at;
  if (!cache) return findingsOf(file, session.applied, shapes, active, indexOf);
  // Kept from lint to lint: a sparse lint writes (or splices in) only the statements it visited.
  session.listing ??= new FindingList();
  return session.listing.update(
    file.statements,
    session.applied,
    shapes,
    session.visited,
    () => placeShapes(file, shapes, indexOf, anchored),
    findingRank(active),
    indexOf,
    session.visitedSplice,
  );
}

/**
 * The session's shape findings: after a sparse pass, only the tables whose findings read a model
 * key the pass changed are judged again, and the list is rebuilt only if their findings changed;
 * after a full pass, every table the file shaped.
 */
function sessionShapes(file: SourceFile, session: Session, active: ActiveRules, config: LintConfig, cache: LintCache): ShapeFinding[] {
  const changed = session.changedKeys;
  let keys = session.shapeKeys;
  let results = session.shapeResults;
  if (!changed || !keys || !results || !session.shapes || session.tablesShapedChanged) {
    const touched = touchedTables(session.applied);
    results = new Map();
    const shapes = judgeShapes(file, session.model, active, config, cache, touched, results);
    keys = [...new Set(touched)];
    session.shapeKeys = keys;
    session.shapeResults = results;
    session.shapes = shapes;
    return shapes;
  }
  const dirty = new Set<string>();
  for (const key of changed) {
    const readers = cache.shapeReaders.get(key);
    if (readers) for (const table of readers) if (results.has(table)) dirty.add(table);
    if (results.has(key)) dirty.add(key);
  }
  if (dirty.size === 0) return session.shapes;
  const judged = new Map<string, ShapeFinding[]>();
  judgeShapes(file, session.model, active, config, cache, [...dirty], judged);
  let same = true;
  for (const table of dirty) {
    const findings = judged.get(table) ?? [];
    const before = results.get(table) ?? [];
    if (findings !== before && (findings.length > 0 || before.length > 0)) same = false;
    results.set(table, findings);
  }
  if (same) return session.shapes;
  const shapes: ShapeFinding[] = [];
  for (const table of keys) for (const finding of results.get(table) ?? []) shapes.push(finding);
  session.shapes = shapes;
  return shapes;
}

function isTransactionMark(statement: ast.Statement): boolean {
  return statement.type === 'begin' || (statement.type === 'other' && (statement.kind === 'commit' || statement.kind === 'rollback'));
}

function transactionsOf(statements: readonly DocumentStatement[]): number[] {
  const marks: number[] = [];
  statements.forEach((statement, index) => {
    if (isTransactionMark(statement.parsed.statement)) marks.push(index);
  });
  return marks;
}

/** The index in `list` (ascending) of the last value below `value`, or -1. */
function lastBelow(list: readonly number[], value: number): number {
  return countBelow(list, value) - 1;
}

/** The tables the statements shaped, in the order they shaped them (for judgeShapes). */
function touchedTables(applied: readonly AppliedStatement[]): string[] {
  const touched: string[] = [];
  for (const statement of applied) {
    const writes = statement.access?.writes;
    if (writes) for (const state of writes) if (state.key.startsWith('t:')) touched.push(state.key);
  }
  return touched;
}

/**
 * Whether applying the statement may look through every table (SchemaModel marks its access
 * volatile): it would then see what later statements did, so the sparse path must not apply it.
 */
function looksAtEveryTable(statement: ast.Statement): boolean {
  if (statement.type !== 'other') return false;
  const { drop, alterIndexRename } = statement;
  if (drop?.object === 'database') return true;
  if (drop?.object === 'index' && drop.names.some((name) => !name.index)) return true;
  return alterIndexRename !== undefined && !alterIndexRename.target.index;
}

/** Reverts the model changes a statement's application made, newest first. */
function undoStatement(statement: AppliedStatement): void {
  const undo = statement.undo;
  if (undo) for (let c = undo.length - 1; c >= 0; c--) (undo[c] as () => void)();
}

/** The keys a statement's application and rules used, and those it changed: what KeyIndex files it under. */
function indexKeys(statement: AppliedStatement, model: SchemaModel): void {
  const access = statement.access;
  const checked = statement.source?.keys ?? [];
  let uses: KeyState[] = access ? access.keys : [];
  if (checked.length > 0) {
    const all = new Set(uses);
    for (const key of checked) all.add(model.stateOf(key));
    uses = [...all];
  }
  statement.uses = uses;
  const writes = access?.writes;
  statement.writes = writes && writes.length > 1 ? [...new Set(writes)] : (writes ?? NO_KEYS);
}

/** The session's statements by the keys each uses and changes (what relintSparsely reaches through). */
function keyIndexOf(applied: readonly AppliedStatement[], model: SchemaModel): KeyIndex<AppliedStatement> {
  const index = new KeyIndex<AppliedStatement>();
  for (const statement of applied) {
    indexKeys(statement, model);
    index.add(statement);
  }
  return index;
}

/**
 * After an edit, makes again only what the edit can change: the edited statements, and the later
 * statements that use a key one of them changes or change a key one of them uses (and so on, from
 * those). Those are undone, newest first; the edited statements are checked and applied anew;
 * then the others in file order, replayed from their logged changes while what they used is
 * unchanged. Every other statement keeps its findings and model changes untouched, so an edit
 * costs about the statements it reaches, not the file. Returns false (nothing done) where this
 * does not hold: statements after the edit whose application looks at every table (volatile) or
 * whose findings are never cached.
 */
function relintSparsely(
  file: SourceFile,
  session: Session,
  first: number,
  active: ActiveRules,
  config: LintConfig,
  cache: LintCache,
  change?: StatementChange,
): boolean {
  const applied = session.applied;
  const statements = file.statements;
  // The edited region: [first, oldEnd) of the session, [first, newEnd) of the file.
  let oldEnd = applied.length;
  let newEnd = statements.length;
  if (change && change.first === first) {
    oldEnd = change.oldEnd;
    newEnd = change.newEnd;
  } else
    while (oldEnd > first && newEnd > first && applied[oldEnd - 1]?.statement === statements[newEnd - 1]) {
      oldEnd--;
      newEnd--;
    }
  if (session.lastBlocking >= first) return false;
  for (let i = first; i < newEnd; i++) {
    const statement = (statements[i] as DocumentStatement).parsed.statement;
    if (UNCACHED.has(statement.type) || looksAtEveryTable(statement) || isTransactionMark(statement)) return false;
  }
  for (let i = first; i < oldEnd; i++) if (isTransactionMark((applied[i] as AppliedStatement).parsed.statement)) return false;
  // The transaction marks after the edit move with it.
  const transactions = session.transactions;
  if (transactions && newEnd !== oldEnd)
    for (let i = lastBelow(transactions, oldEnd) + 1; i < transactions.length; i++)
      transactions[i] = (transactions[i] as number) + newEnd - oldEnd;

  const model = session.model;
  session.index ??= keyIndexOf(applied, model);
  const keys = session.index;

  // What the edited statements reach, and what that reaches in turn.
  const revisit = new Set<AppliedStatement>();
  const pending: AppliedStatement[] = [];
  const reach = (other: AppliedStatement): void => {
    if (other.at >= oldEnd && !revisit.has(other)) {
      revisit.add(other);
      pending.push(other);
    }
  };
  for (let i = first; i < oldEnd; i++) keys.conflictsAfter(applied[i] as AppliedStatement, reach);
  for (let next = pending.pop(); next; next = pending.pop()) keys.conflictsAfter(next, reach);
  // The keys whose versions may move (written by a statement undone and applied anew), and
  // whether the tables the file shapes may have changed (for sessionShapes).
  const changedKeys = new Set<string>();
  const shapedBefore: string[] = [];
  const shapedAfter: string[] = [];
  const wrote = (writes: readonly KeyState[], shaped: string[]): void => {
    for (const key of writes) {
      changedKeys.add(key.key);
      if (key.key.startsWith('t:')) shaped.push(key.key);
    }
  };
  for (let i = first; i < oldEnd; i++) wrote((applied[i] as AppliedStatement).writes, shapedBefore);
  const undone = [...revisit].sort((a, b) => a.at - b.at);
  for (let k = undone.length - 1; k >= 0; k--) undoStatement(undone[k] as AppliedStatement);
  // One statement edited in place stays in the index until its new self takes its entries over
  // (KeyIndex.replace): no statement after it can reach it, and it is not spliced out of and back
  // into the lists of the keys every statement uses. Several are taken out (they could reach each other).
  let inPlace = oldEnd - first === 1 && newEnd - first === 1 ? (applied[first] as AppliedStatement) : undefined;
  for (let i = oldEnd - 1; i >= first; i--) {
    const statement = applied[i] as AppliedStatement;
    undoStatement(statement);
    if (statement !== inPlace) keys.delete(statement);
  }

  // The edited statements' places (filled below); the ones after move by the difference.
  const added = newEnd - first;
  const removed = oldEnd - first;
  if (added !== removed || added > 0) {
    const fresh = new Array<AppliedStatement>(added);
    if (added < 10_000 && removed < 10_000) applied.splice(first, removed, ...fresh);
    else applied.splice(0, applied.length, ...applied.slice(0, first).concat(fresh, applied.slice(oldEnd)));
    if (added !== removed) for (let i = newEnd; i < applied.length; i++) (applied[i] as AppliedStatement).at = i;
  }
  if (session.lastBlocking >= oldEnd) session.lastBlocking += newEnd - oldEnd;

  const check = checker(file, model, active, config, cache);
  // Positions to visit, ascending: the edited statements, then the reached ones.
  const queue: number[] = [];
  for (let i = first; i < newEnd; i++) queue.push(i);
  for (const statement of undone) queue.push(statement.at);
  for (let q = 0; q < queue.length; q++) {
    const at = queue[q] as number;
    const documentStatement = statements[at] as DocumentStatement;
    const previous = at < newEnd ? undefined : applied[at];
    for (;;) {
      const { parsed } = documentStatement;
      const entry = check(documentStatement, at);
      const current = appliedEntry(previous, documentStatement, entry, at, anchored);
      const same = previous !== undefined && current === previous;
      const access = previous?.access;
      const redo = previous?.redo;
      if (redo && access && !access.volatile && model.unchangedSince(access)) {
        for (const change of redo) change();
        current.undo = previous.undo;
        current.redo = redo;
        current.access = access;
        cache.stats.replayed++;
        if (same) break; // the same keys as before: nothing new reached
      } else {
        cache.stats.applied++;
        applyLogged(model, current, file.uri, documentStatement);
      }
      // The keys it uses now may reach statements after it that were left as they were.
      const old = previous ? { uses: previous.uses, writes: previous.writes } : undefined;
      indexKeys(current, model);
      const extra: AppliedStatement[] = [];
      keys.conflictsAfter(current, (other) => {
        if (!revisit.has(other)) {
          revisit.add(other);
          extra.push(other);
        }
      });
      if (extra.length === 0) {
        if (old) wrote(old.writes, shapedBefore);
        wrote(current.writes, shapedAfter);
        if (previous) {
          const newUses = current.uses;
          const newWrites = current.writes;
          previous.uses = old?.uses ?? NO_KEYS;
          previous.writes = old?.writes ?? NO_KEYS;
          keys.replace(previous, current, newUses, newWrites);
          current.uses = newUses;
          current.writes = newWrites;
        } else if (inPlace && at === first) {
          keys.replace(inPlace, current, current.uses, current.writes);
          inPlace = undefined;
        } else keys.add(current);
        applied[at] = current;
        session.byParsed.set(parsed, current);
        if (blocking(current)) session.lastBlocking = Math.max(session.lastBlocking, at);
        break;
      }
      // Undo it, undo what it reaches (and what that reaches), and make it again.
      undoStatement(current);
      if (current === previous && old) {
        previous.uses = old.uses;
        previous.writes = old.writes;
      }
      for (let next = extra.pop(), list = [] as AppliedStatement[]; ; next = extra.pop()) {
        if (next) {
          list.push(next);
          keys.conflictsAfter(next, (other) => {
            if (!revisit.has(other)) {
              revisit.add(other);
              extra.push(other);
            }
          });
          continue;
        }
        list.sort((a, b) => a.at - b.at);
        for (let k = list.length - 1; k >= 0; k--) undoStatement(list[k] as AppliedStatement);
        const later = queue.slice(q + 1).concat(list.map((statement) => statement.at));
        later.sort((a, b) => a - b);
        queue.length = q + 1;
        for (const position of later) queue.push(position);
        break;
      }
    }
  }

  // The statements left as they were are not visited: their findings are anchored to their
  // statements, whose offsets documentStatements moved.
  session.visited = queue;
  session.visitedSplice = added === removed ? undefined : { first, oldEnd, newEnd };
  session.changedKeys = changedKeys;
  session.tablesShapedChanged = shapedBefore.length !== shapedAfter.length || shapedBefore.some((key, i) => key !== shapedAfter[i]);
  return true;
}

/**
 * A statement's entry: last time's when its findings are the same and anchored to this statement
 * object (they follow its offset by themselves); else a new one, applied to nothing yet.
 */
function appliedEntry(
  previous: AppliedStatement | undefined,
  documentStatement: DocumentStatement,
  entry: CachedFindings,
  at: number,
  place: PlaceFinding,
): AppliedStatement {
  const { parsed } = documentStatement;
  if (previous && previous.source === entry && previous.statement === documentStatement) return previous;
  return {
    statement: documentStatement,
    parsed,
    findings: placeFindings(documentStatement, entry, place),
    source: entry,
    at,
    uses: NO_KEYS,
    writes: NO_KEYS,
  };
}

/** Applies a statement to the model, logging how to undo and redo it and what it used and changed. */
function applyLogged(model: SchemaModel, current: AppliedStatement, uri: string, documentStatement: DocumentStatement): void {
  const undo: (() => void)[] = [];
  const redone: (() => void)[] = [];
  const recorded: AppliedAccess = { keys: [], stamps: [], writes: [] };
  model.undoLog = undo;
  model.redoLog = redone;
  model.access = recorded;
  try {
    model.apply(documentStatement.parsed, uri, documentStatement.offset, documentStatement);
  } finally {
    model.undoLog = undefined;
    model.redoLog = undefined;
    model.access = undefined;
  }
  current.undo = undo;
  current.redo = redone;
  current.access = recorded;
}

/** The statement findings in file order, each statement's shape findings merged in by rule order. */
export function findingsOf(
  file: SourceFile,
  applied: Session['applied'],
  shapes: ShapeFinding[],
  active: ActiveRules,
  indexOf?: (parsed: ast.ParsedStatement) => number | undefined,
): LintFinding[] {
  // Only a lint without a cache calls this: nothing moves its statements afterwards.
  const byStatement = placeShapes(file, shapes, indexOf, fixedFinding);
  const rank = findingRank(active);
  const findings: LintFinding[] = [];
  for (let index = 0; index < applied.length; index++) {
    const statement = applied[index];
    if (!statement) continue;
    for (const finding of withShapeFindings(statement.findings, byStatement?.get(index), rank)) findings.push(finding);
  }
  return findings;
}

/** Where a finding goes among its statement's: syntax errors first, then by the rules' order. */
function findingRank(active: ActiveRules): (finding: LintFinding) => number {
  return (finding) => (finding.rule === SYNTAX_RULE ? -1 : (active.rank.get(finding.rule) ?? active.rank.size));
}

/** Shape findings as document findings, per statement index; those silenced by a comment dropped. */
function placeShapes(
  file: SourceFile,
  shapes: ShapeFinding[],
  indexOf: ((parsed: ast.ParsedStatement) => number | undefined) | undefined,
  place: PlaceFinding,
): Map<number, LintFinding[]> | undefined {
  if (shapes.length === 0) return undefined;
  if (!indexOf) {
    const indexes = new Map<ast.ParsedStatement, number>();
    file.statements.forEach((statement, index) => indexes.set(statement.parsed, index));
    indexOf = (parsed) => indexes.get(parsed);
  }
  const placed = new Map<number, LintFinding[]>();
  for (const shape of shapes) {
    const index = indexOf(shape.parsed);
    const statement = index === undefined ? undefined : file.statements[index];
    if (index === undefined || !statement) continue;
    if (statement.comments.length > 0 && suppressedForStatement(statement.comments, shape.parsed.start).has(shape.rule)) continue;
    // Placed on its statement (shape.parsed is the statement's parse).
    const finding = place(statement, shape.rule, shape.severity, shape.start, shape.end, shape.message, shape.docs, shape.fixes);
    const list = placed.get(index);
    if (list) list.push(finding);
    else placed.set(index, [finding]);
  }
  return placed;
}

/**
 * Judges the shape of every table the file created or changed, as the file left it. Findings go
 * on statements of this file only: a table an earlier file shaped was judged at that file's end.
 * With a cache, a table's findings are reused while every model entry its rules read is unchanged.
 */
export function judgeShapes(
  file: SourceFile,
  model: SchemaModel,
  active: ActiveRules,
  config: LintConfig,
  cache?: LintCache,
  touched: readonly string[] | undefined = model.touchLog,
  results?: Map<string, ShapeFinding[]>,
): ShapeFinding[] {
  if (active.shapeRules.length === 0 || !touched || touched.length === 0) return [];
  let rule: Rule | undefined;
  let severity: Severity = 'warning';
  let fresh: ShapeFinding[] = [];
  const uri = file.uri;
  const inFile = (origin: Origin | undefined): origin is Origin => origin !== undefined && origin.uri === uri;
  const context: ShapeContext = {
    table: undefined as unknown as ShapeContext['table'],
    database: undefined,
    model,
    cockroachVersion: parseVersion(config.cockroachVersion),
    inFile,
    latest: (...origins) => {
      let best: Origin | undefined;
      for (const origin of origins) if (inFile(origin) && (!best || origin.offset > best.offset)) best = origin;
      return best;
    },
    report: (at, span, message, fixes = []) => {
      if (!rule || !inFile(at)) return;
      const finding: ShapeFinding = {
        rule: rule.id,
        severity,
        parsed: at.parsed,
        start: span.start,
        end: span.end,
        message,
        docs: rule.docs,
        fixes,
      };
      fresh.push(finding);
    },
  };
  const findings: ShapeFinding[] = [];
  // Each key once, in the order first touched. With a cache, its entries carry the pass that last
  // used them, instead of a set of the file's tables built on every keystroke; a valid entry is
  // used without looking the table up (its versions cover a drop or a rename).
  const pass = cache ? ++cache.shapePass : 0;
  const seen = cache ? undefined : new Set<string>();
  let last: string | undefined;
  for (const key of touched) {
    // A table's CREATE TABLE and CREATE INDEXes come one after another: most repeats are adjacent.
    if (key === last) continue;
    last = key;
    let entry = cache?.getShape(key, model, pass);
    if (entry === DONE) continue;
    if (seen) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    if (!entry) {
      const table = model.tables.get(key.slice(2));
      if (!table) {
        results?.set(key, []);
        continue;
      }
      fresh = [];
      if (cache) model.reads = [key];
      context.table = table;
      context.database = model.database(table.database);
      for (let r = 0; r < active.shapeRules.length; r++) {
        rule = active.shapeRules[r];
        if (!rule?.checkShape) continue;
        severity = active.shapeSeverities[r] ?? rule.defaultSeverity;
        rule.checkShape(context);
      }
      rule = undefined;
      entry = { keys: [], versions: [], findings: fresh };
      if (cache && model.reads) {
        entry.keys = model.reads;
        entry.versions = entry.keys.map((k) => model.version(k));
        cache.setShape(key, entry);
      }
      model.reads = undefined;
    }
    entry.pass = pass;
    results?.set(key, entry.findings);
    for (const finding of entry.findings) findings.push(finding);
  }
  return findings;
}

/**
 * Lints files one after another, each seeing the schema the files before it built, with one
 * model carried from file to file (the CLI): the cost grows with the statements, not with their
 * square. The findings are those of lintFile(file, <the files linted before>).
 */
export class LintSequence {
  private readonly model: SchemaModel;

  constructor(
    private readonly config: LintConfig = defaultConfig(),
    private readonly rules: readonly Rule[] = allRules,
  ) {
    this.model = newModel(config);
  }

  lint(file: SourceFile): LintFinding[] {
    const applied: Session['applied'] = [];
    const active = activeRules(file, this.config, this.rules);
    this.model.touchLog = [];
    try {
      lintStatements(file, 0, this.model, applied, active, this.config);
      return findingsOf(file, applied, judgeShapes(file, this.model, active, this.config), active);
    } finally {
      this.model.touchLog = undefined;
    }
  }
}

/**
 * Checks statements with the rules against the model as it stands (the statements before them
 * applied): the cached findings while every model key they read is unchanged, else the rules'
 * findings, cached. One rule context for all the statements checked: linting a large file
 * allocates little beyond its findings.
 */
function checker(
  file: SourceFile,
  model: SchemaModel,
  { rules: active, severities, checksByType, everyType }: ActiveRules,
  config: LintConfig,
  cache?: LintCache,
): (documentStatement: DocumentStatement, index: number) => CachedFindings {
  let rule: Rule | undefined;
  let severity: Severity = 'warning';
  let fresh: CachedFindings['findings'] = [];
  const context: RuleContext = {
    statement: undefined as unknown as ast.Statement,
    parsed: undefined as unknown as ast.ParsedStatement,
    statements: file.statements,
    index: 0,
    uri: file.uri,
    model,
    cockroachVersion: parseVersion(config.cockroachVersion),
    report: (span: ast.Span, message: string, fixes: Fix[] = []) => {
      if (rule) fresh.push({ rule: rule.id, severity, start: span.start, end: span.end, message, docs: rule.docs, fixes });
    },
  };
  return (documentStatement, index) => {
    const { parsed } = documentStatement;
    // The statement object stands for its text, comments (suppressions) included.
    const cacheable = cache !== undefined && !UNCACHED.has(parsed.statement.type);
    const cached = cacheable ? cache.get(parsed, model) : undefined;
    if (cached) return cached;
    fresh = [];
    const suppressed = documentStatement.comments.length > 0 ? suppressedForStatement(documentStatement.comments, parsed.start) : undefined;
    context.statement = parsed.statement;
    context.parsed = parsed;
    context.index = index;
    if (cache) cache.stats.checked++;
    if (cacheable) model.reads = [];
    // Only the rules that read this type of statement (the others would return at once).
    const places = checksByType.get(parsed.statement.type) ?? everyType;
    for (let p = 0; p < places.length; p++) {
      const r = places[p] as number;
      rule = active[r];
      if (!rule || suppressed?.has(rule.id)) continue;
      severity = severities[r] ?? rule.defaultSeverity;
      rule.check?.(context);
    }
    rule = undefined;
    const entry: CachedFindings = { keys: [], versions: [], findings: fresh };
    if (cacheable && model.reads) {
      entry.keys = model.reads;
      entry.versions = entry.keys.map((key) => model.version(key));
      cache.set(parsed, entry);
      model.reads = undefined;
    }
    return entry;
  };
}

/**
 * Lints the file's statements from index `first` on, each against `model` as the statements
 * before it left it, then applies it: `applied` and `model` end up covering the whole file.
 */
export function lintStatements(
  file: SourceFile,
  first: number,
  model: SchemaModel,
  applied: Session['applied'],
  active: ActiveRules,
  config: LintConfig,
  cache?: LintCache,
  reuse?: Detached,
  byParsed?: WeakMap<ast.ParsedStatement, AppliedStatement>,
): void {
  const check = checker(file, model, active, config, cache);
  // With a cache, the statements move under their findings as the document is edited.
  const place = cache ? anchored : fixedFinding;
  // Statements rolled back from the last lint line up with this file's: those before the edit
  // (a common start) and those after it (a common end) are the same objects.
  const statements = file.statements;
  const old = reuse?.entries ?? [];
  const base = reuse?.from ?? 0;
  const oldCount = old.length - base;
  const span = statements.length - first;
  let prefix = 0;
  while (prefix < oldCount && prefix < span && old[base + prefix]?.statement === statements[first + prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < oldCount - prefix &&
    suffix < span - prefix &&
    old[old.length - 1 - suffix]?.statement === statements[statements.length - 1 - suffix]
  )
    suffix++;

  for (let index = first; index < statements.length; index++) {
    const documentStatement = statements[index];
    if (!documentStatement) continue;
    const { parsed } = documentStatement;
    const offset = documentStatement.offset;
    const at = index - first;
    const oldIndex = at < prefix ? base + at : index >= statements.length - suffix ? old.length - (statements.length - index) : -1;
    const previous = oldIndex === -1 ? undefined : old[oldIndex];
    const entry = check(documentStatement, index);
    const current = appliedEntry(previous, documentStatement, entry, index, place);
    current.at = index;
    // The model: the changes the statement made last time, made again while everything it read
    // and changed is as it was then; else it is applied anew.
    const access = previous?.access;
    const redo = previous?.redo;
    if (redo && access && !access.volatile && model.unchangedSince(access)) {
      for (const change of redo) change();
      current.undo = previous.undo;
      current.redo = redo;
      current.access = access;
      if (cache) cache.stats.replayed++;
    } else if (cache) {
      cache.stats.applied++;
      applyLogged(model, current, file.uri, documentStatement);
    } else model.apply(parsed, file.uri, offset);
    byParsed?.set(parsed, current);
    applied.push(current);
  }
}

/** A statement's syntax errors and rule findings, anchored to it (see anchored). */
function placeFindings(statement: DocumentStatement, entry: CachedFindings, place: PlaceFinding): LintFinding[] {
  const errors = statement.parsed.errors;
  const findings = entry.findings;
  // Most statements have neither: no array of their own (and no iterators, see uuidOsspFunction).
  if (errors.length === 0 && findings.length === 0) return [];
  const placed: LintFinding[] = [];
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i];
    if (error) placed.push(place(statement, SYNTAX_RULE, 'error', error.start, error.end, error.message, undefined, []));
  }
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    if (f) placed.push(place(statement, f.rule, f.severity, f.start, f.end, f.message, f.docs, f.fixes));
  }
  return placed;
}

/** Makes a statement's finding, its offsets given relative to the statement. */
type PlaceFinding = (
  statement: DocumentStatement,
  rule: string,
  severity: Severity,
  start: number,
  end: number,
  message: string,
  docs: string | undefined,
  fixes: Fix[],
) => LintFinding;

/**
 * A finding whose document offsets are read from its statement's current offset: an edit above
 * the statement moves it without a write (with the offsets stored, every keystroke wrote to every
 * finding after it). A plain object whose offsets are getters: it compares, prints and serialises
 * as the same finding with the offsets stored would, and cannot be moved by hand.
 */
const anchored: PlaceFinding = (statement, rule, severity, start, end, message, docs, fixes) => {
  const statementStart = statement.parsed.start;
  const finding: LintFinding = {
    rule,
    severity,
    get start() {
      return statement.offset + start;
    },
    get end() {
      return statement.offset + end;
    },
    message,
    fixes,
    get offset() {
      return statement.offset;
    },
    get statementStart() {
      return statement.offset + statementStart;
    },
  };
  if (docs !== undefined) finding.docs = docs;
  return finding;
};

/**
 * A finding of a lint whose statements stay where they are (one without a cache: the CLI's): its
 * offsets stored, the same keys in the same order as an anchored one's. Four getters (closures)
 * less a finding: at 10,000 lines ~0.9 MB less to keep and to copy through the young generation.
 */
const fixedFinding: PlaceFinding = (statement, rule, severity, start, end, message, docs, fixes) => {
  const offset = statement.offset;
  const statementStart = offset + statement.parsed.start;
  // Two literals rather than `docs` added afterwards: each object keeps its properties in itself.
  return docs === undefined
    ? { rule, severity, start: offset + start, end: offset + end, message, fixes, offset, statementStart }
    : { rule, severity, start: offset + start, end: offset + end, message, fixes, offset, statementStart, docs };
};
