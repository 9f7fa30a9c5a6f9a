// The CockroachDB statement corpus (shared/corpus): 3,871 real statements, for tests that must
// survive everything CockroachDB's documentation writes.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './tools';

/** shared/ sits beside the checkout (as in CI); CRDB_SHARED_DIR points elsewhere. */
export function corpusStatements(): string[] {
  const shared = process.env['CRDB_SHARED_DIR'] ?? path.join(repoRoot, '..', 'shared');
  const file = path.join(shared, 'corpus', 'crdb-parser-statements.sql');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`the CockroachDB statement corpus is missing at ${file} (set CRDB_SHARED_DIR)`, { cause: error });
  }
  return text
    .split(/^-- @@ .*$/m)
    .slice(1)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
