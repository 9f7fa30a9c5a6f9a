// What a lesson notebook shows under a cell: tables, plans and shell output as text that keeps its
// columns, errors with their SQLSTATE, and nothing from the data ever read as markup.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeHtml, MAX_INLINE_ROWS, resultHtml, resultText, type StatementResult } from '../../client/src/notebook/outputHtml';

function result(patch: Partial<StatementResult>): StatementResult {
  return { statement: 'SELECT 1', columns: [], rows: [], hasMore: false, notices: [], shell: false, ...patch };
}

/** The markup of the output without the style sheet, which holds no data. */
function body(html: string): string {
  return html.replace(/<style>[\s\S]*?<\/style>/, '');
}

describe('lesson notebook output', () => {
  it('labels each notice with its severity, as cockroach sql prints it: a WARNING is not a NOTICE', () => {
    const notices = [
      { severity: 'NOTICE', message: 'auto-committing transaction before processing DDL due to autocommit_before_ddl setting' },
      { severity: 'WARNING', message: 'there is no transaction in progress' },
    ];
    const text = resultText(result({ statement: 'COMMIT', tag: 'COMMIT', notices })).split('\n');
    assert.ok(text.includes(`NOTICE: ${notices[0]?.message ?? ''}`), text.join('\n'));
    assert.ok(text.includes('WARNING: there is no transaction in progress'), text.join('\n'));
    assert.match(
      resultHtml(result({ statement: 'COMMIT', notices }), false),
      /<div class="notice">WARNING: there is no transaction in progress<\/div>/,
    );
  });

  it('shows a result set as a table with typed headers, NULLs and a row count', () => {
    const html = body(
      resultHtml(
        result({
          columns: [
            { name: 'id', type: 'INT8' },
            { name: 'owner', type: 'STRING' },
          ],
          rows: [
            ['1', 'ann'],
            ['2', null],
          ],
          rowCount: 2,
          tag: 'SELECT 2',
        }),
        false,
      ),
    );
    assert.match(html, /<th>id<small>INT8<\/small><\/th><th>owner<small>STRING<\/small><\/th>/);
    assert.match(html, /<td class="num">1<\/td><td>ann<\/td>/);
    assert.match(html, /<td class="null">NULL<\/td>/);
    assert.match(html, /2 rows/);
  });

  it('shows an EXPLAIN plan and shell output as monospace lines, spaces kept', () => {
    const plan = body(
      resultHtml(
        result({
          columns: [{ name: 'info', type: 'STRING' }],
          rows: [['distribution: local'], [''], ['  • scan'], ['    table: t@t_pkey']],
        }),
        false,
      ),
    );
    assert.match(plan, /<pre>distribution: local\n\n {2}• scan\n {4}table: t@t_pkey<\/pre>/);
    const shell = body(
      resultHtml(result({ shell: true, tag: 'SHELL', columns: [{ name: 'output', type: 'STRING' }], rows: [['a   b'], ['1   2']] }), false),
    );
    assert.match(shell, /<pre>a {3}b\n1 {3}2<\/pre>/);
    assert.doesNotMatch(shell, /<table/);
  });

  it('shows an error with its SQLSTATE, detail and hint, and no table', () => {
    const failed = result({
      columns: [{ name: 'x', type: 'INT8' }],
      error: { code: '42P01', message: 'relation "nope" does not exist', hint: 'check the name' },
    });
    const html = body(resultHtml(failed, true));
    assert.match(html, /ERROR:<\/strong> relation &quot;nope&quot; does not exist/);
    assert.match(html, /SQLSTATE: 42P01/);
    assert.match(html, /HINT: check the name/);
    assert.match(html, /<pre class="meta">SELECT 1<\/pre>/);
    assert.doesNotMatch(html, /<table/);
    assert.equal(resultText(failed), 'ERROR: relation "nope" does not exist\nSQLSTATE: 42P01\nHINT: check the name');
  });

  it('shows at most MAX_INLINE_ROWS rows and says how many more there are', () => {
    const rows = Array.from({ length: MAX_INLINE_ROWS + 5 }, (_, i) => [String(i)]);
    const html = body(resultHtml(result({ columns: [{ name: 'n', type: 'INT8' }], rows }), false));
    assert.equal(html.match(/<tr>/g)?.length, MAX_INLINE_ROWS + 1);
    assert.match(html, /5 more rows not shown here/);
  });

  it('never lets data become markup', () => {
    const text = fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", 's', 'c', 'r', 'i', 'p', 't', '/', ' ', '=') });
    fc.assert(
      fc.property(text, text, text, fc.boolean(), (name, value, message, shell) => {
        const html = body(
          resultHtml(
            result({
              statement: value,
              columns: [{ name, type: value }],
              rows: [[value], [null]],
              notices: [{ severity: 'NOTICE', message }],
              note: message,
              shell,
            }),
            true,
          ),
        );
        const failed = body(resultHtml(result({ statement: value, error: { message, code: value, detail: name, hint: value } }), true));
        for (const out of [html, failed]) {
          // Every < in the output is one of the tags the renderer writes itself.
          const tags = out.match(/<\/?[a-z]+[^>]*>/g) ?? [];
          for (const tag of tags)
            assert.match(tag, /^<\/?(div|pre|table|thead|tbody|tr|th|td|small|strong)( class="[a-z -]+")?>$/, `tag ${tag} in ${out}`);
          assert.equal(out.replace(/<\/?[a-z]+[^>]*>/g, '').includes('<'), false);
        }
      }),
      { numRuns: 500 },
    );
    assert.equal(escapeHtml(`<script>alert("x")</script>&'`), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });
});
