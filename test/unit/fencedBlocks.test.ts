import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fencedBlocks, firstHeading } from '../../sql/src/fencedBlocks';
import { repoRoot } from '../support/tools';

describe('fencedBlocks', () => {
  it('finds ``` and ~~~ blocks with their language and exact lines', () => {
    const markdown = [
      '# T',
      '```sql',
      'SELECT 1;',
      '```',
      'text',
      '~~~ SQL title="x"',
      'SELECT 2;',
      'SELECT 3;',
      '~~~',
      '```',
      'plain',
      '```',
    ].join('\n');
    assert.deepEqual(fencedBlocks(markdown), [
      { language: 'sql', fenceLine: 1, endLine: 3, contentStartLine: 2, content: 'SELECT 1;' },
      { language: 'sql', fenceLine: 5, endLine: 8, contentStartLine: 6, content: 'SELECT 2;\nSELECT 3;' },
      { language: '', fenceLine: 9, endLine: 11, contentStartLine: 10, content: 'plain' },
    ]);
  });

  it('closes a fence only with the same character, at least as long', () => {
    const markdown = ['````sql', '```', 'SELECT 1;', '~~~', '````'].join('\n');
    const [block] = fencedBlocks(markdown);
    assert.equal(block?.content, '```\nSELECT 1;\n~~~');
    assert.equal(block.endLine, 4);
  });

  it('runs an unclosed block to the end of the document (half-typed lessons)', () => {
    const [block] = fencedBlocks('intro\n```sql\nSELECT 1;\nSELECT');
    assert.equal(block?.content, 'SELECT 1;\nSELECT');
    assert.equal(block.endLine, 3);
  });

  it('strips the fence indentation from content and ignores inline backticks', () => {
    const blocks = fencedBlocks('  ```sql\n  SELECT 1;\n    SELECT 2;\n  ```\nuse ```inline``` code');
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]?.content, 'SELECT 1;\n  SELECT 2;');
  });

  it('finds fences nested in list items, as docs tutorials write their steps', () => {
    const markdown = [
      '1. Create it:',
      '',
      '    ~~~ sql',
      '    SELECT 1;',
      '    ~~~',
      '',
      '    ~~~',
      '    out',
      '    ~~~',
      '',
      'text',
      '',
      '    ~~~ sql',
      '    indented code, not a fence',
      '    ~~~',
    ].join('\n');
    assert.deepEqual(
      fencedBlocks(markdown).map((b) => [b.language, b.content, b.endLine]),
      [
        ['sql', 'SELECT 1;', 4],
        ['', 'out', 8],
      ],
    );
  });

  it('handles CRLF line endings', () => {
    assert.equal(fencedBlocks('```sql\r\nSELECT 1;\r\n```\r\n')[0]?.content, 'SELECT 1;');
  });

  it('counts the example lessons’ SQL blocks', () => {
    const lesson = readFileSync(path.join(repoRoot, 'examples', 'lessons', '01-multi-region-schema.md'), 'utf8');
    const sql = fencedBlocks(lesson).filter((b) => b.language === 'sql');
    assert.equal(sql.length, 8);
    assert.ok(sql.every((b) => b.content.trim().length > 0));
    assert.equal(firstHeading(lesson), 'Lesson 1: a multi-region schema');
  });
});

describe('firstHeading', () => {
  it('takes the first level-one ATX heading only', () => {
    assert.equal(firstHeading('intro\n## Two\n# One #\n# Later'), 'One');
    assert.equal(firstHeading('no heading'), undefined);
  });
});
