// The SQL the lint tests read: the rule fixtures (test/fixtures/rules) and the real projects'
// migrations (test/fixtures/real, in the order their manifest gives).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { defaultConfig, readConfig, type LintConfig } from '../../server/src/lint/config';
import { repoRoot } from './tools';

const REAL = path.join(repoRoot, 'test', 'fixtures', 'real');
const RULES = path.join(repoRoot, 'test', 'fixtures', 'rules');

export interface SqlFile {
  uri: string;
  text: string;
}

/** Every rule fixture, by file name. */
export function ruleFixtureFiles(): SqlFile[] {
  return readdirSync(RULES)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => ({ uri: name, text: readFileSync(path.join(RULES, name), 'utf8') }));
}

/** A real project's file sequence, as its migrations run one after another. */
export interface RealSequence {
  project: string;
  config: LintConfig;
  files: SqlFile[];
}

/** Every sequence of every real project, each with the configuration its CockroachDB version gives. */
export function realSequences(): RealSequence[] {
  const manifest = JSON.parse(readFileSync(path.join(REAL, 'manifest.json'), 'utf8')) as {
    projects: { dir: string; sequences: string[][]; cockroachVersion?: string }[];
  };
  return manifest.projects.flatMap((project) => {
    const config = project.cockroachVersion ? readConfig({ cockroachVersion: project.cockroachVersion }).config : defaultConfig();
    return project.sequences.map((sequence) => ({
      project: project.dir,
      config,
      files: sequence.map((file) => ({ uri: file, text: readFileSync(path.join(REAL, project.dir, file), 'utf8') })),
    }));
  });
}
