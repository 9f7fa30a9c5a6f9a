// The SQL files the server knows: open documents (their editor text; of a Markdown document,
// its SQL blocks) and the workspace's .sql files on disk, in file-name order, each split into
// cached parsed statements; plus the lint configuration (.crdb-studio.json merged with the
// editor settings).
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { documentStatements, documentStatementsOnce, StatementCache, type DocumentStatement } from './analysis/statements';
import { EditRegion, type ChangedSpan } from './analysis/editRegion';
import { ChunkedDocument, type TextSource } from './analysis/chunkedDocument';
import { walkFiles } from './files';
import { inSqlBlock, isMarkdown, lessonSessionStart, sqlOfMarkdown, type MarkdownSql } from './markdown';
import { isDownMigrationFile, MIGRATION_MARKS, splitMigration } from './migrationSections';
import { FILE_SUPPRESSION_MARK, suppressedForFile } from './lint/suppression';
import { CONFIG_FILE, defaultConfig, parseConfigText, readConfig, type LintConfig } from './lint/config';
import { buildModel, LintCache, lintFile, newModel, type LintFinding, type SourceFile } from './lint/engine';
import type { SchemaModel } from './schema/model';
import type { FindingsChange } from './lint/findingList';
import type { ServerSettings } from '../../protocol/src/languageServer';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);
const MAX_FILES = 2000;
/**
 * Files larger than this are not analysed (read, split, linted or built into the schema): the
 * analysis costs about a second and tens of MB per MB of SQL, and a file this large is a data
 * dump, not a schema. VS Code draws its own lines higher (no tokenising past 20 MB, no sync to
 * extensions past 50 MB), so without this the server would still get such files.
 * CRDB_STUDIO_MAX_ANALYSED_BYTES moves it (the benchmark's 100,000-line schema is 3.7 MB).
 */
export const MAX_ANALYSED_BYTES = Number(process.env['CRDB_STUDIO_MAX_ANALYSED_BYTES']) || 2 * 1024 * 1024;

export interface AnalysedFile extends SourceFile {
  document: TextDocument;
}

interface Entry {
  document: TextDocument;
  open: boolean;
  cache: StatementCache;
  lintCache?: LintCache;
  statements?: DocumentStatement[];
  statementsVersion?: number;
  /**
   * The SQL the statements were read from: the text, or a Markdown document's SQL blocks; an open
   * editor document itself (read in pieces: an edit does not copy or read its whole text).
   */
  sql?: string | TextSource;
  /** For a Markdown document: its SQL and where the SQL blocks are. */
  markdown?: MarkdownSql;
  mtimeMs?: number;
  /** Set to the file's size while it is over MAX_ANALYSED_BYTES: it is then not analysed. */
  tooLarge?: number;
  /** The StatementCache generation `statements` is. */
  generation?: number;
  /**
   * Where the document's text changed since `sql`, from the editor's edits (set once the
   * statements were read from an open .sql document; dropped when the text came another way).
   */
  edits?: EditRegion;
  /** Whether `sql` holds no file-wide suppression comment (kept up to date from the edits). */
  noFileSuppression?: boolean;
  /** The rules `sql`'s file-wide suppression comments silence. */
  fileSuppressed?: ReadonlySet<string>;
  /** Whether the text holds no migration Up/Down marker (kept up to date from the edits, as noFileSuppression). */
  noMigrationMarks?: boolean;
  /** A migration's Down sections (the rest blanked): `sql` is then its forward SQL (migrationSections.ts). */
  rollback?: string;
}

const NOTHING_SUPPRESSED: ReadonlySet<string> = new Set();

/**
 * Whether a text holds none of `marks`. Given where it changed since a text that held none, only
 * the changed span (widened by the longest mark's length) is searched: a new mark must overlap it.
 */
function withoutMarks(
  text: string | TextSource,
  marks: readonly string[],
  edits: { changed: ChangedSpan | undefined } | undefined,
): boolean {
  if (!edits) {
    const whole = wholeText(text);
    return marks.every((mark) => !whole.includes(mark));
  }
  const changed = edits.changed;
  if (!changed) return true;
  const reach = Math.max(...marks.map((mark) => mark.length)) - 1;
  const around = text.slice(Math.max(0, changed.start - reach), changed.end + reach);
  return marks.every((mark) => !around.includes(mark));
}

const FILE_SUPPRESSION_MARKS = [FILE_SUPPRESSION_MARK];

function wholeText(text: string | TextSource): string {
  return typeof text === 'string' ? text : text.getText();
}

/** A document's length without reading its text (a ChunkedDocument knows it; a TextDocument's is a string's). */
function lengthOf(document: TextDocument): number {
  return document instanceof ChunkedDocument ? document.length : document.getText().length;
}

export class Workspace {
  private readonly entries = new Map<string, Entry>();
  /** The SQL files' URIs in file-name order, until a file comes or goes (every lint reads it). */
  private ordered: string[] | undefined;
  private roots: string[] = [];
  private settings: ServerSettings | undefined;
  private fileConfig: LintConfig = defaultConfig();
  /** Problems in .crdb-studio.json, and the file they are in (shown as its diagnostics). */
  configProblems: string[] = [];
  configUri: string | undefined;
  /** Told once each time a file turns out too large to analyse (it is then left out). */
  onSkipped: ((uri: string, bytes: number) => void) | undefined;

  private setEntry(uri: string, entry: Entry): void {
    if (!this.entries.has(uri)) this.ordered = undefined;
    this.entries.set(uri, entry);
  }

  private deleteEntry(uri: string): void {
    if (this.entries.delete(uri)) this.ordered = undefined;
  }

  setRoots(uris: string[]): void {
    this.roots = uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
    this.reloadConfigFile();
    this.scan();
  }

  setSettings(settings: ServerSettings | undefined): void {
    this.settings = settings;
  }

  /** The configuration last merged, and what it was merged from (a lint per keystroke reads it). */
  private merged: { fileConfig: LintConfig; settings: ServerSettings; hasVersion: boolean; config: LintConfig } | undefined;

  get config(): LintConfig {
    const merged = this.merged;
    if (
      this.settings &&
      merged?.fileConfig === this.fileConfig &&
      merged.settings === this.settings &&
      merged.hasVersion === this.fileConfigHasVersion
    )
      return merged.config;
    let config = this.fileConfig;
    if (this.settings) {
      const fromEditor: Record<string, unknown> = {};
      if (this.settings.cockroachVersionExplicit || !this.fileConfigHasVersion)
        fromEditor['cockroachVersion'] = this.settings.cockroachVersion;
      if (this.settings.rules) fromEditor['rules'] = this.settings.rules;
      config = readConfig(fromEditor, config).config;
      this.merged = { fileConfig: this.fileConfig, settings: this.settings, hasVersion: this.fileConfigHasVersion, config };
    }
    return config;
  }

  private fileConfigHasVersion = false;

  /** Reads .crdb-studio.json from the first workspace root that has one. */
  reloadConfigFile(): void {
    this.fileConfig = defaultConfig();
    this.fileConfigHasVersion = false;
    this.configProblems = [];
    this.configUri = undefined;
    for (const root of this.roots) {
      let text: string;
      try {
        text = readFileSync(path.join(root, CONFIG_FILE), 'utf8');
      } catch {
        continue;
      }
      const { config, problems, setsVersion } = parseConfigText(text);
      this.fileConfig = config;
      this.fileConfigHasVersion = setsVersion;
      this.configProblems = problems;
      this.configUri = pathToFileURL(path.join(root, CONFIG_FILE)).toString();
      return;
    }
  }

  /** Finds the .sql files under the roots (bounded), without reading them yet. */
  private scan(): void {
    for (const root of this.roots) {
      const files = walkFiles(
        root,
        (file) => file.endsWith('.sql'),
        (name) => name.startsWith('.') || SKIP_DIRS.has(name),
        MAX_FILES,
      );
      for (const file of files) {
        const uri = pathToFileURL(file).toString();
        if (!this.entries.has(uri))
          this.setEntry(uri, { document: TextDocument.create(uri, 'sql', -1, ''), open: false, cache: new StatementCache() });
      }
    }
  }

  open(document: TextDocument): void {
    const entry = this.entries.get(document.uri);
    const opened: Entry = { document, open: true, cache: entry?.cache ?? new StatementCache() };
    this.setEntry(document.uri, opened);
    this.checkSize(document.uri, opened, lengthOf(document));
  }

  change(document: TextDocument): void {
    const entry = this.entries.get(document.uri);
    if (!entry) {
      this.open(document);
      return;
    }
    // The edits were counted on the document object the entry holds; another one is a new text.
    if (entry.document !== document) delete entry.edits;
    entry.document = document;
    this.checkSize(document.uri, entry, lengthOf(document));
  }

  /**
   * An edit about to be made to an open document: characters [start, end) of its current text
   * replaced by `insertedLength` characters (so the next split need not compare the texts).
   */
  edit(uri: string, start: number, end: number, insertedLength: number): void {
    this.entries.get(uri)?.edits?.replace(start, end, insertedLength);
  }

  /** Marks an entry too large (or no longer) from its size; says so once when it becomes too large. */
  private checkSize(uri: string, entry: Entry, bytes: number): boolean {
    const tooLarge = bytes > MAX_ANALYSED_BYTES;
    if (!tooLarge) delete entry.tooLarge;
    else {
      if (entry.tooLarge === undefined) this.onSkipped?.(uri, bytes);
      entry.tooLarge = bytes;
      delete entry.edits;
      delete entry.statements;
      delete entry.lintCache;
    }
    return tooLarge;
  }

  close(uri: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    if (uri.startsWith('file:') && uri.endsWith('.sql')) {
      entry.open = false;
      delete entry.mtimeMs; // re-read from disk next time
    } else this.deleteEntry(uri);
  }

  /** A file on disk changed, appeared or went away. */
  fileChanged(uri: string, deleted: boolean): void {
    if (uri.endsWith(CONFIG_FILE)) {
      this.reloadConfigFile();
      return;
    }
    const entry = this.entries.get(uri);
    if (deleted) {
      if (entry && !entry.open) this.deleteEntry(uri);
      return;
    }
    if (!entry) this.setEntry(uri, { document: TextDocument.create(uri, 'sql', -1, ''), open: false, cache: new StatementCache() });
    else if (!entry.open) delete entry.mtimeMs;
  }

  /**
   * Set when the client reports file changes (didChangeWatchedFiles): files already read are
   * then not stat-ed again on every lint, only after a change event.
   */
  filesWatched = false;

  private refreshFromDisk(uri: string, entry: Entry): void {
    if (entry.open || !uri.startsWith('file:')) return;
    if (this.filesWatched && entry.mtimeMs !== undefined) return;
    try {
      const file = fileURLToPath(uri);
      const { mtimeMs, size } = statSync(file);
      if (entry.mtimeMs === mtimeMs) return;
      entry.mtimeMs = mtimeMs;
      delete entry.edits;
      if (this.checkSize(uri, entry, size)) {
        entry.document = TextDocument.create(uri, 'sql', Math.round(mtimeMs), '');
        return;
      }
      entry.document = TextDocument.create(uri, 'sql', Math.round(mtimeMs), readFileSync(file, 'utf8'));
    } catch {
      entry.document = TextDocument.create(uri, 'sql', -1, '');
    }
  }

  file(uri: string): AnalysedFile | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    this.refreshFromDisk(uri, entry);
    if (entry.tooLarge !== undefined) return undefined;
    if (entry.statementsVersion !== entry.document.version || !entry.statements || entry.sql === undefined) {
      const document = entry.document;
      const wasMigration = entry.rollback !== undefined;
      // A Markdown document (a lesson) is its SQL blocks, at their own offsets.
      if (isMarkdown(uri, document.languageId)) {
        entry.markdown = sqlOfMarkdown(document.getText());
        entry.sql = entry.markdown.text;
      } else {
        delete entry.markdown;
        entry.sql = document instanceof ChunkedDocument ? document : document.getText();
        this.readMigration(entry);
      }
      // A migration with Down sections (now or at the last read) is read whole, as its forward SQL: not from the edits.
      const edits =
        entry.edits && !entry.markdown && entry.rollback === undefined && !wasMigration ? { changed: entry.edits.changed } : undefined;
      entry.noFileSuppression = withoutMarks(entry.sql, FILE_SUPPRESSION_MARKS, entry.noFileSuppression === true ? edits : undefined);
      entry.fileSuppressed = entry.noFileSuppression ? NOTHING_SUPPRESSED : suppressedForFile(wholeText(entry.sql));
      entry.statements = documentStatements(entry.sql, entry.cache, edits);
      entry.statementsVersion = entry.document.version;
      if (entry.open && !entry.markdown) entry.edits = new EditRegion();
      else delete entry.edits;
      entry.generation = entry.cache.generation;
    }
    const sql = entry.sql;
    const file: AnalysedFile = {
      uri,
      // Read only when asked: the lint of an edit does not need the whole text.
      get text() {
        return wholeText(sql);
      },
      statements: entry.statements,
      document: entry.document,
      fileSuppressed: entry.fileSuppressed ?? suppressedForFile(wholeText(sql)),
    };
    // How the statements changed since the list before, for the lint to start from (when known).
    const change = entry.cache.change;
    if (entry.generation !== undefined && change?.to === entry.generation) {
      file.generation = entry.generation;
      file.change = change;
    } else if (entry.generation !== undefined) file.generation = entry.generation;
    return file;
  }

  /** Splits a .sql document's text into its forward SQL (`sql`) and its Down sections, if it has any. */
  private readMigration(entry: Entry): void {
    const text = entry.sql as string | TextSource;
    const edits = entry.edits && entry.rollback === undefined ? { changed: entry.edits.changed } : undefined;
    entry.noMigrationMarks = withoutMarks(text, MIGRATION_MARKS, entry.noMigrationMarks === true ? edits : undefined);
    delete entry.rollback;
    if (entry.noMigrationMarks) return;
    const { forward, rollback } = splitMigration(wholeText(text));
    if (rollback === undefined) return;
    entry.sql = forward;
    entry.rollback = rollback;
  }

  /** Whether an offset of a document is SQL: anywhere in a .sql file, inside a SQL block in Markdown. */
  isSqlAt(uri: string, offset: number): boolean {
    if (!this.file(uri)) return false;
    const markdown = this.entries.get(uri)?.markdown;
    return !markdown || inSqlBlock(markdown, offset);
  }

  private sessionStart: AnalysedFile | undefined;

  /** The workspace's SQL files that come before `uri` in file-name order (for a lesson: all, then its session's start). */
  filesBefore(uri: string): AnalysedFile[] {
    // A .down.sql file is a rollback: no part of the schema the files after it see.
    this.ordered ??= [...this.entries.keys()].filter((u) => u.endsWith('.sql') && !isDownMigrationFile(u)).sort();
    const ordered = this.ordered;
    const files: AnalysedFile[] = [];
    for (const other of ordered) {
      if (other >= uri && uri.endsWith('.sql')) break;
      if (other === uri) continue;
      const file = this.file(other);
      if (file) files.push(file);
    }
    if (this.entries.get(uri)?.markdown) {
      const start = lessonSessionStart();
      this.sessionStart ??= { ...start, document: TextDocument.create(start.uri, 'sql', 0, start.text) };
      files.push(this.sessionStart);
    }
    return files;
  }

  /**
   * The workspace's SQL files in order with `uri` among them: the files before it, itself, and
   * (for a .sql file) the .sql files after it.
   */
  filesAround(uri: string): AnalysedFile[] {
    const files = this.filesBefore(uri);
    const own = this.file(uri);
    if (!own) return files;
    files.push(own);
    if (!uri.endsWith('.sql')) return files;
    for (const other of this.ordered ?? []) {
      if (other <= uri) continue;
      const file = this.file(other);
      if (file) files.push(file);
    }
    return files;
  }

  /** The file's findings, and how they differ from the last lint's when that is known (for the diagnostics encoder). */
  lint(uri: string): { file: AnalysedFile; findings: LintFinding[]; change?: FindingsChange } | undefined {
    const file = this.file(uri);
    const entry = this.entries.get(uri);
    if (!file || !entry) return undefined;
    entry.lintCache ??= new LintCache();
    // Rollback SQL is read for syntax alone, with no schema before it (migrationSections.ts).
    if (isDownMigrationFile(uri)) return { file, findings: lintFile(file, [], this.config, [], entry.lintCache) };
    const findings = lintFile(file, this.filesBefore(uri), this.config, undefined, entry.lintCache);
    if (entry.rollback !== undefined) {
      const rollback = entry.rollback;
      const rollbackFindings = lintFile({ uri, text: rollback, statements: documentStatementsOnce(rollback) }, [], this.config, []);
      return { file, findings: [...findings, ...rollbackFindings].sort((a, b) => a.start - b.start) };
    }
    const change = entry.lintCache.session?.listing?.change;
    return change?.to === findings ? { file, findings, change } : { file, findings };
  }

  /**
   * The model as it stands at the end of `uri`, or after the statements that start at or before
   * `untilOffset` (for hover, completion, definition): the lint session's own model, brought up
   * to date by an incremental lint, not one built from the workspace per request. Read it at
   * once and do not change it: the next lint or modelAt moves it.
   */
  modelAt(uri: string, untilOffset?: number): SchemaModel {
    const entry = this.entries.get(uri);
    let result;
    try {
      result = this.lint(uri);
    } catch {
      // A bug in a rule must not cost hover and completion their schema.
      return this.freshModelAt(uri, untilOffset);
    }
    if (!result || !entry?.lintCache) return this.freshModelAt(uri, untilOffset);
    const statements = result.file.statements;
    let index = statements.length;
    if (untilOffset !== undefined) {
      index = statements.findIndex((s) => s.offset + s.parsed.start > untilOffset);
      if (index === -1) index = statements.length;
    }
    return entry.lintCache.modelBefore(index) ?? this.freshModelAt(uri, untilOffset);
  }

  /** What modelAt answers, built afresh from the workspace's statements (what it must equal). */
  freshModelAt(uri: string, untilOffset?: number): SchemaModel {
    const model = buildModel(this.filesBefore(uri), newModel(this.config));
    const file = this.file(uri);
    if (file) {
      for (const s of file.statements) {
        if (untilOffset !== undefined && s.offset + s.parsed.start > untilOffset) break;
        model.apply(s.parsed, uri, s.offset);
      }
    }
    return model;
  }

  documentFor(uri: string): TextDocument | undefined {
    const entry = this.entries.get(uri);
    if (entry) this.refreshFromDisk(uri, entry);
    return entry?.document;
  }
}
