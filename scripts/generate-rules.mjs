// Writes what is derived from the lint rules, so adding a rule is one rule file and its fixture:
//   server/src/lint/rules/index.ts    the list of rules: every file of that folder that exports one
//   schemas/crdb-studio.schema.json   the rule ids, severities and descriptions of .crdb-studio.json
//   README.md                         the rule table, between <!-- rules:start --> and <!-- rules:end -->
// `npm run generate` writes them; `--check` writes nothing and exits 1 when one is stale (a unit
// test does the same through generateRules()).
//
// The rules are read by running them: esbuild bundles the rule files from source in memory, so
// this works right after `npm ci` with no build, and titles or links computed in code come out
// exactly as the language server shows them. The output goes through prettier, so
// `prettier --check` agrees with it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import * as prettier from 'prettier';
import ts from 'typescript';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RULES_DIR = 'server/src/lint/rules';
const INDEX = `${RULES_DIR}/index.ts`;
const SCHEMA = 'schemas/crdb-studio.schema.json';
const README = 'README.md';
const README_START = '<!-- rules:start -->';
const README_END = '<!-- rules:end -->';
/** What `rules` in .crdb-studio.json accepts (server/src/lint/config.ts checks the same). */
const SEVERITIES = ['error', 'warning', 'info', 'hint'];
const SETTINGS = [...SEVERITIES, 'off'];

function isRule(value) {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.id === 'string' &&
    (typeof value.check === 'function' || typeof value.checkShape === 'function')
  );
}

/** A rule missing what the outputs show fails here rather than dropping out of them. */
function validate(file, exportName, rule) {
  const problem = !SEVERITIES.includes(rule.defaultSeverity)
    ? `defaultSeverity ${JSON.stringify(rule.defaultSeverity)}`
    : typeof rule.title !== 'string' || rule.title === ''
      ? 'no title'
      : typeof rule.docs !== 'string' || !rule.docs.startsWith('https://')
        ? 'no https docs link'
        : undefined;
  if (problem) throw new Error(`${RULES_DIR}/${file}.ts: rule ${exportName} (${rule.id}) has ${problem}`);
}

/** Every exported rule of the rule folder: its file (without .ts), export name and value. */
async function loadRules(root) {
  const files = readdirSync(path.join(root, RULES_DIR))
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
  const entry = files.map((file, i) => `export * as m${i} from './${RULES_DIR}/${file}.ts';`).join('\n');
  const bundle = await esbuild.build({
    stdin: { contents: entry, resolveDir: root, loader: 'js', sourcefile: 'rules-entry.js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]?.text ?? '';
  const modules = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const rules = [];
  files.forEach((file, i) => {
    for (const [exportName, value] of Object.entries(modules[`m${i}`] ?? {}))
      if (isRule(value)) {
        validate(file, exportName, value);
        rules.push({ file, exportName, rule: value });
      }
  });
  const ids = new Map();
  for (const { file, rule } of rules) {
    if (ids.has(rule.id)) throw new Error(`rule id ${rule.id} is exported by both ${ids.get(rule.id)}.ts and ${file}.ts`);
    ids.set(rule.id, file);
  }
  return rules;
}

/** The export names in the committed index's allRules list, in their order. */
function previousOrder(root) {
  let text;
  try {
    text = readFileSync(path.join(root, INDEX), 'utf8');
  } catch {
    return [];
  }
  const names = [];
  const source = ts.createSourceFile(INDEX, text, ts.ScriptTarget.Latest);
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const list = declaration.initializer;
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== 'allRules' || !list || !ts.isArrayLiteralExpression(list))
        continue;
      for (const element of list.elements) if (ts.isIdentifier(element)) names.push(element.text);
    }
  }
  return names;
}

/**
 * The order of allRules decides the order of one statement's findings (the CLI prints them so),
 * so it is kept as committed, and may be changed by hand; rules new to it go at the end, by id.
 */
function ordered(rules, previous) {
  const rank = (exportName) => {
    const index = previous.indexOf(exportName);
    return index === -1 ? previous.length : index;
  };
  return [...rules].sort((a, b) => rank(a.exportName) - rank(b.exportName) || compare(a.rule.id, b.rule.id));
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function format(root, file, text, parser) {
  const config = (await prettier.resolveConfig(path.join(root, file))) ?? {};
  return prettier.format(text, { ...config, filepath: path.join(root, file), ...(parser ? { parser } : {}) });
}

function renderIndex(rules) {
  const imports = [...rules].sort((a, b) => compare(a.file.toLowerCase(), b.file.toLowerCase()) || compare(a.exportName, b.exportName));
  return [
    '// Every lint rule, in the order their findings are listed for one statement.',
    '// Generated by `npm run generate` from the files of this folder that export a rule: a new rule',
    '// is appended to the list; the order may be changed by hand and is kept.',
    "import type { Rule } from '../rule';",
    ...imports.map(({ file, exportName }) => `import { ${exportName} } from './${file}';`),
    '',
    'export const allRules: readonly Rule[] = [',
    ...rules.map(({ exportName }) => `  ${exportName},`),
    '];',
    '',
    'export const rulesById: ReadonlyMap<string, Rule> = new Map(allRules.map((rule) => [rule.id, rule]));',
    '',
  ].join('\n');
}

function renderSchema(rules, committed) {
  const schema = JSON.parse(committed);
  const section = schema?.properties?.rules;
  if (typeof section !== 'object' || section === null) throw new Error(`${SCHEMA} has no properties.rules object to fill`);
  section.properties = Object.fromEntries(
    rules.map(({ rule }) => [
      rule.id,
      {
        type: 'string',
        enum: SETTINGS,
        default: rule.defaultSeverity,
        description: `${rule.title} (default: ${rule.defaultSeverity}). ${rule.docs}`,
      },
    ]),
  );
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function tableCell(text) {
  return text.replaceAll('|', '\\|');
}

function renderTable(rules) {
  return [
    '| rule | default | what it flags |',
    '| --- | --- | --- |',
    ...rules.map(({ rule }) => `| [\`${rule.id}\`](${rule.docs}) | ${rule.defaultSeverity} | ${tableCell(rule.title)} |`),
    '',
  ].join('\n');
}

function spliceReadme(readme, table) {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end < start) throw new Error(`${README} needs ${README_START} and ${README_END} around the rule table`);
  return `${readme.slice(0, start + README_START.length)}\n\n${table}\n${readme.slice(end)}`;
}

/** The three generated files as they should be: [{ file (relative to root), content }]. */
export async function generateRules(root = repoRoot) {
  const rules = ordered(await loadRules(root), previousOrder(root));
  const table = await format(root, README, renderTable(rules), 'markdown');
  return [
    { file: INDEX, content: await format(root, INDEX, renderIndex(rules)) },
    { file: SCHEMA, content: await format(root, SCHEMA, renderSchema(rules, readFileSync(path.join(root, SCHEMA), 'utf8'))) },
    { file: README, content: spliceReadme(readFileSync(path.join(root, README), 'utf8'), table) },
  ];
}

function read(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { file, content } of await generateRules()) {
    if (read(path.join(repoRoot, file)) === content) continue;
    stale++;
    if (check) console.error(`${file} is stale: run npm run generate`);
    else {
      writeFileSync(path.join(repoRoot, file), content);
      console.log(`wrote ${file}`);
    }
  }
  if (stale === 0) console.log('rule index, schema and README table are up to date');
  if (check && stale > 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
