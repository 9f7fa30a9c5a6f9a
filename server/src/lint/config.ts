// Lint configuration, one shape for every source: `.crdb-studio.json` at the workspace root,
// VS Code settings (crdbStudio.cockroachVersion, crdbStudio.rules) and CLI flags.
//   { "cockroachVersion": "v24.1", "rules": { "missing-locality": "off", "redundant-index": "error" } }
import { DEFAULT_COCKROACH_VERSION, normaliseCockroachVersion } from '../../../protocol/src/languageServer';
import { rulesById } from './rules';
import type { Severity } from './rule';

export type RuleSetting = Severity | 'off';

export interface LintConfig {
  cockroachVersion: string;
  rules: Record<string, RuleSetting>;
}

export const CONFIG_FILE = '.crdb-studio.json';
const SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'info', 'hint', 'off'];

export function defaultConfig(): LintConfig {
  return { cockroachVersion: DEFAULT_COCKROACH_VERSION, rules: {} };
}

export interface ReadConfig {
  config: LintConfig;
  problems: string[];
  /** Whether the object chose the version itself (else it kept the base's). */
  setsVersion: boolean;
}

/** Reads a config object, keeping what is valid and saying what is not. */
export function readConfig(raw: unknown, base: LintConfig = defaultConfig()): ReadConfig {
  const problems: string[] = [];
  const config: LintConfig = { cockroachVersion: base.cockroachVersion, rules: { ...base.rules } };
  let setsVersion = false;
  if (raw === undefined || raw === null) return { config, problems, setsVersion };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { config, problems: ['the configuration must be a JSON object'], setsVersion };
  const object = raw as Record<string, unknown>;
  for (const key of Object.keys(object))
    if (key !== 'cockroachVersion' && key !== 'rules' && key !== '$schema') problems.push(`unknown key "${key}"`);
  if (object['cockroachVersion'] !== undefined) {
    const version = normaliseCockroachVersion(object['cockroachVersion']);
    if (version) {
      config.cockroachVersion = version;
      setsVersion = true;
    } else problems.push(`cockroachVersion ${JSON.stringify(object['cockroachVersion'])} is not a version like v25.2`);
  }
  const rules = object['rules'];
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules))
      problems.push('"rules" must be an object of rule id to severity');
    else {
      for (const [id, value] of Object.entries(rules as Record<string, unknown>)) {
        if (!rulesById.has(id)) problems.push(`unknown rule "${id}"`);
        else if (typeof value !== 'string' || !SETTINGS.includes(value as RuleSetting))
          problems.push(`rule "${id}": ${JSON.stringify(value)} is not one of ${SETTINGS.join(', ')}`);
        else config.rules[id] = value as RuleSetting;
      }
    }
  }
  return { config, problems, setsVersion };
}

export function parseConfigText(text: string, base?: LintConfig): ReadConfig {
  try {
    return readConfig(JSON.parse(text) as unknown, base);
  } catch (error) {
    return {
      config: base ?? defaultConfig(),
      problems: [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`],
      setsVersion: false,
    };
  }
}
