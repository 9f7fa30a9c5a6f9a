// Paths of the external tools scripts/tools.sh installs, read from scripts/tools-env.sh so the
// shell and Node sides can never disagree.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export interface ToolPaths {
  cache: string;
  node24: string;
  codeServerEntry: string;
  codeServerPackage: string;
  codeServerVersion: string;
}

let cached: ToolPaths | undefined;

export function toolPaths(): ToolPaths {
  if (cached) return cached;
  const script = `source "${path.join(repoRoot, 'scripts', 'tools-env.sh')}"; printf '%s\\n' "$CRDB_TOOLS" "$NODE24_DIR" "$CODE_SERVER_BIN" "$CODE_SERVER_DIR" "$CODE_SERVER_VERSION"`;
  const [cache, node24Dir, entry, dir, version] = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
  if (!cache || !node24Dir || !entry || !dir || !version) throw new Error('scripts/tools-env.sh did not name every tool path');
  cached = {
    cache,
    node24: path.join(node24Dir, 'bin', 'node'),
    codeServerEntry: entry,
    codeServerPackage: path.join(dir, 'node_modules', 'code-server'),
    codeServerVersion: version,
  };
  return cached;
}
