// `cockroach workload init|run bank|movr|kv` in the lab (filled in below).
import { failed, type Lab, type Outcome } from './lab';

export function workload(words: readonly string[], _lab: Lab): Promise<Outcome> {
  return Promise.resolve(failed(`ERROR: unknown workload ${words[3] ?? ''}`));
}
