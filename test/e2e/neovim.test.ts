// The language server in a second, real LSP client: Neovim (Debian's 0.7), headless.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
});
