// Lints a file statement by statement as the splitter finds them (the CLI): each statement is
// lexed, parsed, checked and applied to the model before the next one is read, so its tokens
// are garbage at once instead of a whole file's parse living through the rules. The findings
// are those of LintSequence.lint over the whole file's statements, in the same order.
//
// Rules see the statements read so far (RuleContext.statements). The only rules that look
// ahead do it from a BEGIN, up to its COMMIT or ROLLBACK (or the end of the file): while such
// a transaction is open, statements wait, and are checked once it closes or the file ends.
// A rule that looked further ahead would need the same; the streaming test compares both paths.
import type { DocumentStatement } from '../analysis/statements';
import type { Statement } from '../../../sql/src/ast';
import { lexStatement } from '../../../sql/src/lexer';
import { parseLexed } from '../../../sql/src/parser';
import type { SchemaModel } from '../schema/model';
import { defaultConfig, type LintConfig } from './config';
import { activeRules, findingsOf, judgeShapes, lintStatements, newModel, type LintFinding, type Session, type SourceFile } from './engine';
import type { Rule } from './rule';
import { allRules } from './rules';

/** Statements read before they are checked: their tokens are garbage already, their trees are small. */
const BATCH = 32;

/** Whether an explicit transaction is open after `statement`, given whether one was before it. */
function transactionOpenAfter(statement: Statement, open: boolean): boolean {
  if (statement.type === 'begin') return true;
  if (statement.type === 'other' && (statement.kind === 'commit' || statement.kind === 'rollback')) return false;
  return open;
}

/**
 * Lints files one after another from their text, each seeing the schema the files before it
 * built (one model carried from file to file), reading each file as a stream of statements.
 */
export class StreamingLintSequence {
  private readonly model: SchemaModel;

  constructor(
    private readonly config: LintConfig = defaultConfig(),
    private readonly rules: readonly Rule[] = allRules,
  ) {
    this.model = newModel(config);
  }

  /** The findings of `text`, as LintSequence.lint gives them for the file's parsed statements. */
  lint(uri: string, text: string): LintFinding[] {
    const statements: DocumentStatement[] = [];
    const file: SourceFile = { uri, text, statements };
    const active = activeRules(file, this.config, this.rules);
    const applied: Session['applied'] = [];
    const model = this.model;
    model.touchLog = [];
    try {
      let open = false;
      // One pass over the text: the lexer finds where each statement ends as it reads it.
      for (let range = lexStatement(text, 0); range; range = lexStatement(text, range.end)) {
        const source = text.slice(range.start, range.end);
        const document = parseLexed(source, range);
        const parsed = document.statements;
        for (let k = 0; k < parsed.length; k++) {
          const statement = parsed[k];
          if (!statement) continue;
          // Comments go with the first statement of the range, as documentStatementsOnce does.
          statements.push({ offset: range.start, text: source, parsed: statement, comments: k === 0 ? document.comments : [] });
          open = transactionOpenAfter(statement.statement, open);
        }
        // Checked in small batches: one rule context per batch, not per statement.
        if (!open && statements.length - applied.length >= BATCH) lintStatements(file, applied.length, model, applied, active, this.config);
      }
      // A transaction still open at the end of the file: its lookahead ends there.
      lintStatements(file, applied.length, model, applied, active, this.config);
      return findingsOf(file, applied, judgeShapes(file, model, active, this.config), active);
    } finally {
      model.touchLog = undefined;
    }
  }
}
