// The logs of the code-servers a test has running, read when a test fails: what the extension host
// and crdb-studio's own output channel said, printed with the failure so that a CI log tells why
// a webview never showed (the folders are removed when the server stops).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const liveRoots = new Set<string>();

export function hostStarted(root: string): void {
  liveRoots.add(root);
}

export function hostStopped(root: string): void {
  liveRoots.delete(root);
}

/** The log files worth reading: code-server's own, the extension host's, crdb-studio's channel. */
function logFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name === 'remoteexthost.log' || entry.name === 'crdb-studio.log') found.push(full);
    }
  };
  const logs = path.join(root, 'user-data', 'logs');
  if (existsSync(logs)) visit(logs);
  const own = path.join(root, 'code-server.log');
  return existsSync(own) ? [own, ...found] : found;
}

function tail(file: string, lines: number): string {
  const text = statSync(file).size > 0 ? readFileSync(file, 'utf8') : '(empty)';
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The last lines of every running code-server's logs; empty when none runs. */
export function hostLogTails(lines = 40): string {
  const parts: string[] = [];
  for (const root of liveRoots) {
    for (const file of logFiles(root)) {
      try {
        parts.push(`--- ${path.relative(root, file)} (last ${lines} lines)\n${tail(file, lines)}`);
      } catch (error) {
        parts.push(`--- ${path.relative(root, file)}: not readable (${String(error)})`);
      }
    }
  }
  return parts.join('\n');
}
