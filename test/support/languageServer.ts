// The language server as an LSP client starts and stops it over stdio: the built bundle, spoken
// to with vscode-jsonrpc.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { repoRoot } from './tools';

export interface LanguageServer {
  process: ChildProcessWithoutNullStreams;
  connection: MessageConnection;
  /** What the server wrote to stderr so far (read, so a chatty server never blocks on a full pipe). */
  stderr(): string;
}

/** Spawns dist/server/server.js --stdio and connects to it (not yet initialized, not listening). */
export function spawnLanguageServer(): LanguageServer {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server', 'server.js'), '--stdio']);
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  return { process: child, connection, stderr: () => stderr };
}

/** The orderly end a client gives a server: shutdown, exit, and the process gone. */
export async function stopLanguageServer({ process: child, connection }: LanguageServer): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  await exited;
  connection.dispose();
}
