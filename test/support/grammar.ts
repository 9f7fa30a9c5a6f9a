// Tokenizes text with crdb-studio's TextMate grammars the way VS Code does (vscode-textmate +
// the Oniguruma WASM), for the grammar tests.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { repoRoot, toolPaths } from './tools';

export interface Token {
  text: string;
  scopes: string[];
}

const grammarFiles: Record<string, () => string> = {
  'source.sql.cockroachdb': () => path.join(repoRoot, 'syntaxes', 'cockroachdb-sql.tmLanguage.json'),
  'markdown.cockroachdb-sql.codeblock': () => path.join(repoRoot, 'syntaxes', 'markdown-cockroachdb-sql.tmLanguage.json'),
  // VS Code's own Markdown grammar, as shipped in the pinned code-server.
  'text.html.markdown': () =>
    path.join(toolPaths().codeServerPackage, 'lib', 'vscode', 'extensions', 'markdown-basics', 'syntaxes', 'markdown.tmLanguage.json'),
};

let registry: textmate.Registry | undefined;

function getRegistry(): textmate.Registry {
  if (registry) return registry;
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  const ready = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new textmate.Registry({
    onigLib: ready.then(() => ({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    })),
    loadGrammar: (scopeName) => {
      const file = grammarFiles[scopeName]?.();
      if (!file) return Promise.resolve(null);
      return Promise.resolve(textmate.parseRawGrammar(readFileSync(file, 'utf8'), file));
    },
    getInjections: (scopeName) => (scopeName === 'text.html.markdown' ? ['markdown.cockroachdb-sql.codeblock'] : undefined),
  });
  return registry;
}

export async function tokenize(text: string, scopeName = 'source.sql.cockroachdb'): Promise<Token[][]> {
  const grammar = await getRegistry().loadGrammar(scopeName);
  if (!grammar) throw new Error(`grammar ${scopeName} not found`);
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((token) => ({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes }));
  });
}

/** The innermost scope of the first token whose text equals `needle` (trimmed), searching all lines. */
export async function scopeOf(text: string, needle: string, scopeName?: string): Promise<string> {
  for (const line of await tokenize(text, scopeName)) {
    const token = line.find((t) => t.text.trim() === needle);
    if (token) return token.scopes[token.scopes.length - 1] ?? '';
  }
  throw new Error(`no token '${needle}' in ${JSON.stringify(text)}`);
}
