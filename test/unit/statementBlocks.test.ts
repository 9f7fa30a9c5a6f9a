// The statement list moves the statements after an edit by block (documentStatements keeps the
// ranges' offsets relative to blocks of consecutive ranges): through random edits of a file of
// many blocks, statements inserted by the hundred in one place included, every statement's
// offset must be a fresh split's; and an edit at the top of a long file must write the offsets
// of at most one block's statements, not of every statement after it (counted).
import * as assert from 'node:assert/strict';
import { documentStatements, documentStatementsOnce, StatementCache, type DocumentStatement } from '../../server/src/analysis/statements';
import { seededRandom } from '../support/random';

const placed = (statements: readonly DocumentStatement[]): string[] =>
  statements.map((statement) => `${statement.offset} ${statement.text.length} ${statement.parsed.statement.type}`);

function schema(tables: number): string {
  let text = '';
  for (let t = 0; t < tables; t++)
    text += `CREATE TABLE t_${t} (id INT PRIMARY KEY, note STRING);\nCREATE INDEX t_${t}_by_note ON t_${t} (note);\n`;
  return text;
}

const PIECES = ['x', ' ', ';', '\n', "'", '-- c\n', 'SELECT 1;', 'SELECT 1; SELECT 2;\n'.repeat(40), ''];

describe('statement offsets kept by block', () => {
  it('are a fresh split’s through random edits of a file of many blocks', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const next = seededRandom(seed);
      let text = schema(700);
      const cache = new StatementCache();
      let last = documentStatements(text, cache);
      for (let i = 0; i < 60; i++) {
        const at = Math.floor(next() * (text.length + 1));
        const removed = next() < 0.5 ? 0 : Math.floor(next() * (next() < 0.1 ? 5000 : 4));
        const piece = PIECES[Math.floor(next() * PIECES.length)] ?? '';
        // Now and then many statements typed in the same place (one block grows past its size).
        const inserted = next() < 0.1 ? piece.repeat(20) : piece;
        text = text.slice(0, at) + inserted + text.slice(Math.min(text.length, at + removed));
        const before = placed(last);
        const statements = documentStatements(text, cache, { changed: { start: at, end: at + inserted.length } });
        assert.deepEqual(placed(statements), placed(documentStatementsOnce(text)), `seed ${seed}, edit ${i}`);
        // The statements the edit removed (a list handed out before may still hold them) keep their offsets.
        const kept = new Set(statements);
        last.forEach((statement, index) => {
          if (!kept.has(statement)) assert.equal(placed([statement])[0], before[index], `seed ${seed}, edit ${i}`);
        });
        last = statements;
      }
    }
  });

  it('writes the offsets of at most a block of statements for an edit at the top of a long file', () => {
    const moved = (tables: number): number => {
      let text = schema(tables);
      const cache = new StatementCache();
      const statements = documentStatements(text, cache);
      // Counts the writes to the statements' offsets, wherever they are kept.
      let writes = 0;
      const seen = new Set<object>();
      const watch = (target: object, key: string): void => {
        let value = Reflect.get(target, key) as unknown;
        Object.defineProperty(target, key, {
          configurable: true,
          enumerable: true,
          get: () => value,
          set: (next: unknown) => {
            writes++;
            value = next;
          },
        });
      };
      for (const statement of statements) {
        // The statement itself and what it may read its offset from (its range, the range's block).
        const objects: object[] = [statement];
        for (let depth = 0, from = 0; depth < 2; depth++) {
          const to = objects.length;
          for (let o = from; o < to; o++)
            for (const value of Object.values(objects[o] as object))
              if (value && typeof value === 'object' && !Array.isArray(value) && value !== statement.parsed) objects.push(value as object);
          from = to;
        }
        for (const object of objects)
          for (const key of Object.keys(object)) if (typeof Reflect.get(object, key) === 'number' && !seen.has(object)) watch(object, key);
        for (const object of objects) seen.add(object);
      }
      const at = text.indexOf('note STRING');
      text = `${text.slice(0, at)}x${text.slice(at)}`;
      const after = documentStatements(text, cache, { changed: { start: at, end: at + 1 } });
      assert.deepEqual(placed(after), placed(documentStatementsOnce(text)));
      return writes;
    };
    const long = moved(5_000);
    assert.ok(long <= 2 * 256, `offsets written: ${long} (of 10,000 statements)`);
  });
});
