// Hover on a name: a column named like a keyword (region, name, "primary") is the column, in DDL
// where the parser puts column names and in queries over tables that have one; the keyword and
// table hovers stay where the name is not a column.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { documentStatementsOnce } from '../../server/src/analysis/statements';
import { hover } from '../../server/src/features/hover';
import { buildModel } from '../../server/src/lint/engine';

const SQL = [
  'CREATE DATABASE shop PRIMARY REGION "us-east1" REGIONS "us-west1";', // 0
  'USE shop;',
  'CREATE TABLE users (id UUID PRIMARY KEY, name STRING NOT NULL, "primary" BOOL DEFAULT false);', // 2
  'CREATE TABLE orders (',
  '  id UUID PRIMARY KEY,',
  '  user_id UUID REFERENCES users (id),', // 5
  '  region crdb_internal_region NOT NULL DEFAULT gateway_region()::crdb_internal_region,', // 6
  '  INDEX (region, user_id)',
  ') LOCALITY REGIONAL BY ROW AS region;', // 8
  'SELECT name, "primary" FROM users WHERE name = $1;', // 9
  'SELECT o.region FROM orders AS o;', // 10
  'ALTER DATABASE shop ADD REGION "europe-west1";', // 11
  'ALTER TABLE orders ADD COLUMN note STRING;', // 12
].join('\n');

const document = TextDocument.create('file:///hover.sql', 'sql', 1, SQL);
const statements = documentStatementsOnce(SQL);
const model = buildModel([{ uri: document.uri, text: SQL, statements }]);

/** The hover text at the first occurrence of `word` on `line` (nth occurrence with `nth`). */
function hoverAt(line: number, word: string, nth = 0): string {
  const text = SQL.split('\n')[line] ?? '';
  let character = -1;
  for (let i = 0; i <= nth; i++) character = text.indexOf(word, character + 1);
  assert.ok(character >= 0, `${word} on line ${line}`);
  const result = hover(document, statements, [], () => model, document.offsetAt({ line, character: character + 1 }));
  const contents = result?.contents;
  return contents && typeof contents === 'object' && 'value' in contents ? contents.value : '';
}

describe('hover on names', () => {
  it('shows the column where a CREATE TABLE defines one named like a keyword', () => {
    const region = hoverAt(6, 'region');
    assert.match(region, /\*\*column shop\.orders\.region\*\*/);
    assert.match(region, /`region` CRDB_INTERNAL_REGION DEFAULT gateway_region\(\)::crdb_internal_region NOT NULL/);
    assert.doesNotMatch(region, /cloud region/, 'not the keyword');
    assert.match(hoverAt(2, 'name'), /column shop\.users\.name\*\*\n\n`name` STRING NOT NULL/);
    assert.match(hoverAt(2, '"primary"'), /column shop\.users\.primary\*\*\n\n`primary` BOOL DEFAULT false/);
  });

  it('shows the column in index keys, REGIONAL BY ROW AS, REFERENCES and ALTER TABLE', () => {
    assert.match(hoverAt(7, 'region'), /column shop\.orders\.region/);
    assert.match(hoverAt(8, 'region'), /column shop\.orders\.region/);
    assert.match(hoverAt(5, 'id', 1), /column shop\.users\.id\*\*\n\n`id` UUID — primary key/);
    assert.match(hoverAt(5, 'user_id'), /References users \(id\)/);
    assert.match(hoverAt(12, 'note'), /column shop\.orders\.note/);
  });

  it('shows the column in a query over a table that has it, qualified or not', () => {
    assert.match(hoverAt(9, 'name'), /column shop\.users\.name/);
    assert.match(hoverAt(9, 'name', 1), /column shop\.users\.name/);
    assert.match(hoverAt(9, '"primary"'), /column shop\.users\.primary/);
    assert.match(hoverAt(10, 'region'), /column shop\.orders\.region/);
  });

  it('keeps the keyword where no column is meant, and the table on a table name', () => {
    assert.match(hoverAt(0, 'REGION'), /cloud region/);
    assert.match(hoverAt(11, 'REGION'), /cloud region/);
    assert.match(hoverAt(8, 'REGIONAL'), /REGIONAL BY TABLE/);
    assert.match(hoverAt(10, 'orders'), /\*\*table shop\.orders\*\*/);
    assert.match(hoverAt(3, 'orders'), /\*\*table shop\.orders\*\*/);
  });
});
