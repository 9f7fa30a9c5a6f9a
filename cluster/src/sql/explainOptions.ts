// EXPLAIN's options as CockroachDB reads them: `EXPLAIN [ANALYZE] [(option, …)] statement`. One
// mode at most (PLAN, the default, DISTSQL, OPT, VEC, DEBUG, DDL, GIST), flags beside it.
import type { Token } from '../../../sql/src/lexer';
import { notSimulated, SqlError, SQLSTATE } from './errors';
import { isPunct, isWord } from './rewrite';

export interface ExplainOptions {
  analyze: boolean;
  verbose: boolean;
  /** Where the explained statement starts in the EXPLAIN's text. */
  innerStart: number;
}

const MODES = new Set(['plan', 'distsql', 'opt', 'vec', 'debug', 'ddl', 'gist']);
const FLAGS = new Set(['verbose', 'types', 'redact', 'env', 'catalog', 'json', 'memo', 'viz', 'shape']);
/** Flags the simulated cluster prints as VERBOSE does (TYPES adds types to what VERBOSE shows). */
const VERBOSE_FLAGS = new Set(['verbose', 'types']);

/** Reads the options of the EXPLAIN whose tokens are `tokens` (tokens[0] is EXPLAIN). */
export function readExplainOptions(tokens: readonly Token[]): ExplainOptions {
  let i = 1;
  let analyze = false;
  if (isWord(tokens[i], 'analyze', 'analyse')) {
    analyze = true;
    i++;
  }
  let mode: string | undefined;
  let verbose = false;
  if (isPunct(tokens[i], '(')) {
    i++;
    while (i < tokens.length && !isPunct(tokens[i], ')')) {
      const token = tokens[i];
      if (isPunct(token, ',')) {
        i++;
        continue;
      }
      const name = token?.value.toLowerCase() ?? '';
      if (name === 'analyze' || name === 'analyse') analyze = true;
      else if (MODES.has(name)) {
        if (mode !== undefined) throw new SqlError(SQLSTATE.syntax, 'cannot set EXPLAIN mode more than once');
        mode = name;
      } else if (FLAGS.has(name)) verbose = verbose || VERBOSE_FLAGS.has(name);
      else throw new SqlError(SQLSTATE.syntax, `unsupported EXPLAIN option: ${name}`);
      i++;
    }
    i++;
  }
  if (mode !== undefined && mode !== 'plan') throw notSimulated(`EXPLAIN (${mode.toUpperCase()})`);
  const inner = tokens[i];
  if (!inner) throw new SqlError(SQLSTATE.syntax, 'at or near "EOF": syntax error');
  return { analyze, verbose, innerStart: inner.start };
}
