// Lint configuration, one shape for every source: `.crdb-studio.json` at the workspace root,
// VS Code settings (crdbStudio.cockroachVersion, crdbStudio.rules) and CLI flags.
//   { "cockroachVersion": "v24.1", "rules": { "missing-locality": "off", "redundant-index": "error" } }
// `databases` declares databases whose DDL is not in the files (a SHOW CREATE ALL TABLES dump of
// a multi-region database): the schema model starts with them.
//   { "databases": { "movr": { "regions": ["us-east1", "us-west1"], "primaryRegion": "us-east1", "survivalGoal": "zone" } } }
import { DEFAULT_COCKROACH_VERSION, normaliseCockroachVersion } from '../../../protocol/src/languageServer';
import type { DeclaredDatabase } from '../schema/model';
import { rulesById } from './rules';
import type { Severity } from './rule';

export type RuleSetting = Severity | 'off';

export interface LintConfig {
  cockroachVersion: string;
  rules: Record<string, RuleSetting>;
  /** Databases declared by the configuration, by name. */
  databases?: Record<string, DeclaredDatabase>;
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
  if (base.databases) config.databases = { ...base.databases };
  let setsVersion = false;
  if (raw === undefined || raw === null) return { config, problems, setsVersion };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { config, problems: ['the configuration must be a JSON object'], setsVersion };
  const object = raw as Record<string, unknown>;
  for (const key of Object.keys(object))
    if (key !== 'cockroachVersion' && key !== 'rules' && key !== 'databases' && key !== '$schema') problems.push(`unknown key "${key}"`);
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
  if (object['databases'] !== undefined) {
    const databases = readDatabases(object['databases'], problems);
    if (databases) config.databases = { ...config.databases, ...databases };
  }
  return { config, problems, setsVersion };
}

const DATABASE_KEYS = new Set(['regions', 'primaryRegion', 'secondaryRegion', 'survivalGoal']);

/** `databases`: name → { regions, primaryRegion, secondaryRegion, survivalGoal }; what is invalid is said and left out. */
function readDatabases(raw: unknown, problems: string[]): Record<string, DeclaredDatabase> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push('"databases" must be an object of database name to { regions, primaryRegion, survivalGoal }');
    return undefined;
  }
  const databases: Record<string, DeclaredDatabase> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`database "${name}" must be an object`);
      continue;
    }
    const fields = value as Record<string, unknown>;
    const database: DeclaredDatabase = {};
    let valid = true;
    for (const key of Object.keys(fields)) if (!DATABASE_KEYS.has(key)) problems.push(`database "${name}": unknown key "${key}"`);
    const regions = fields['regions'];
    if (regions !== undefined) {
      if (Array.isArray(regions) && regions.every((r) => typeof r === 'string' && r !== '')) database.regions = regions as string[];
      else {
        problems.push(`database "${name}": "regions" must be a list of region names`);
        valid = false;
      }
    }
    for (const key of ['primaryRegion', 'secondaryRegion'] as const) {
      const region = fields[key];
      if (region === undefined) continue;
      if (typeof region === 'string' && region !== '') database[key] = region;
      else {
        problems.push(`database "${name}": "${key}" must be a region name`);
        valid = false;
      }
    }
    const survival = fields['survivalGoal'];
    if (survival !== undefined) {
      if (survival === 'zone' || survival === 'region') database.survivalGoal = survival;
      else {
        problems.push(`database "${name}": "survivalGoal" must be "zone" or "region"`);
        valid = false;
      }
    }
    if (database.secondaryRegion && !database.primaryRegion) {
      problems.push(`database "${name}": a secondaryRegion needs a primaryRegion`);
      valid = false;
    }
    if ((database.regions?.length ?? 0) > 0 && !database.primaryRegion) {
      problems.push(`database "${name}": regions need a primaryRegion (a database is multi-region once it has one)`);
      valid = false;
    }
    if (valid) databases[name] = database;
  }
  return databases;
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
