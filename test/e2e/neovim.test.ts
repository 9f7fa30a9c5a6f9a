// The language server in a second, real LSP client: Neovim (Debian's 0.7), headless.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formattingEdits } from '../../server/src/features/formatting';
import { PATIENCE_MS } from '../support/patience';
import { repoRoot } from '../support/tools';

const lua = (dir: string, file: string, results: string): string => `
local results = {}
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'sql',
  callback = function(args)
    local id = vim.lsp.start_client({
      name = 'crdb-studio',
      cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(repoRoot, 'dist', 'server', 'server.js'))}, '--stdio' },
      root_dir = ${JSON.stringify(dir)},
    })
    vim.lsp.buf_attach_client(args.buf, id)
  end,
})
vim.cmd('edit ' .. ${JSON.stringify(file)})
vim.wait(${PATIENCE_MS}, function() return #vim.diagnostic.get(0) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
  table.insert(results, 'diagnostic ' .. d.lnum .. ':' .. d.col .. ' ' .. code .. ' ' .. d.message)
end
local hover = vim.lsp.buf_request_sync(0, 'textDocument/hover', {
  textDocument = vim.lsp.util.make_text_document_params(),
  position = { line = 2, character = 19 },
}, ${PATIENCE_MS})
for _, response in pairs(hover or {}) do
  if response.result and response.result.contents then
    table.insert(results, 'hover ' .. vim.inspect(response.result.contents.value or response.result.contents):gsub('\\n', ' '))
  end
end
local symbols = vim.lsp.buf_request_sync(0, 'textDocument/documentSymbol', { textDocument = vim.lsp.util.make_text_document_params() }, ${PATIENCE_MS})
for _, response in pairs(symbols or {}) do
  for _, symbol in ipairs(response.result or {}) do table.insert(results, 'symbol ' .. symbol.name) end
end
local f = io.open(${JSON.stringify(results)}, 'w')
f:write(table.concat(results, '\\n'))
f:close()
vim.cmd('qa!')
`;

/**
 * Asks for textDocument/formatting (two-space indent), writes the edits as JSON, applies them as
 * Neovim applies any server's edits and writes the buffer back.
 */
const formattingLua = (dir: string, file: string, results: string): string => `
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'sql',
  callback = function(args)
    local id = vim.lsp.start_client({
      name = 'crdb-studio',
      cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(repoRoot, 'dist', 'server', 'server.js'))}, '--stdio' },
      root_dir = ${JSON.stringify(dir)},
    })
    vim.lsp.buf_attach_client(args.buf, id)
  end,
})
vim.cmd('edit ' .. ${JSON.stringify(file)})
-- The server has read the file once it has linted it.
vim.wait(${PATIENCE_MS}, function() return #vim.diagnostic.get(0) > 0 end, 50)
local answers = vim.lsp.buf_request_sync(0, 'textDocument/formatting', {
  textDocument = vim.lsp.util.make_text_document_params(),
  options = { tabSize = 2, insertSpaces = true },
}, ${PATIENCE_MS})
local edits = {}
for _, response in pairs(answers or {}) do
  if response.result then edits = response.result end
end
local f = io.open(${JSON.stringify(results)}, 'w')
f:write(vim.fn.json_encode(edits))
f:close()
vim.lsp.util.apply_text_edits(edits, 0, 'utf-16')
vim.cmd('write')
vim.cmd('qa!')
`;

describe('language server in Neovim', function () {
  this.timeout(4 * PATIENCE_MS);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crdb-studio-nvim-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes diagnostics, answers hover and lists symbols', () => {
    const file = path.join(dir, 'schema.sql');
    writeFileSync(
      file,
      'CREATE TABLE events (id SERIAL PRIMARY KEY, kind STRING);\nCREATE TABLE promo (code STRING PRIMARY KEY, note STRING);\nSELECT note FROM promo;\n',
    );
    const results = path.join(dir, 'results.txt');
    const script = path.join(dir, 'check.lua');
    writeFileSync(script, lua(dir, file, results));
    const run = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${script}`], {
      encoding: 'utf8',
      // The script waits up to PATIENCE_MS for each of its three answers.
      timeout: 3 * PATIENCE_MS,
      env: { ...process.env, HOME: dir, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    });
    assert.equal(run.error, undefined, `nvim could not run (scripts/tools.sh neovim installs it): ${String(run.error)}`);
    const lines = readFileSync(results, 'utf8').split('\n');
    assert.ok(
      lines.some((l) => /^diagnostic 0:21 sequential-primary-key Primary key events\(id\)/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => l.startsWith('hover ') && l.includes('table defaultdb.promo') && l.includes('`note` STRING')),
      lines.join('\n'),
    );
    assert.deepEqual(
      lines.filter((l) => l.startsWith('symbol ')),
      ['symbol events', 'symbol promo'],
    );
  });
  it('formats a document with the same edits VS Code gets, and Neovim applies them', () => {
    const file = path.join(dir, 'queries.sql');
    const source =
      'create table orders (id serial primary key, customer string not null, total decimal(10,2));\n' +
      'select customer, sum(total) as spent from orders where total > 10 group by customer order by spent desc;\n' +
      "-- kept where it is\nupdate orders set total = total * 2 where customer = 'ann';\n";
    writeFileSync(file, source);
    const results = path.join(dir, 'formatting.json');
    const script = path.join(dir, 'format.lua');
    writeFileSync(script, formattingLua(dir, file, results));
    const run = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${script}`], {
      encoding: 'utf8',
      timeout: 3 * PATIENCE_MS,
      env: { ...process.env, HOME: dir, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    });
    assert.equal(run.error, undefined, `nvim could not run (scripts/tools.sh neovim installs it): ${String(run.error)}`);
    // The edits the server computes for VS Code's Format Document on the same text and options.
    const expected = formattingEdits({
      document: TextDocument.create('file:///queries.sql', 'sql', 1, source),
      options: { tabSize: 2, insertSpaces: true },
      keywordCase: 'upper',
    });
    assert.ok(expected.length === 3, `one edit per statement: ${JSON.stringify(expected)}`);
    assert.deepEqual(JSON.parse(readFileSync(results, 'utf8')), expected);
    const formatted = readFileSync(file, 'utf8');
    assert.equal(formatted, TextDocument.applyEdits(TextDocument.create('file:///queries.sql', 'sql', 1, source), expected));
    assert.match(formatted, /^SELECT customer, sum\(total\) AS spent\nFROM orders\nWHERE total > 10\n/m);
    assert.match(formatted, /-- kept where it is\nUPDATE orders\n/);
  });
});
