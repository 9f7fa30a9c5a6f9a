// Standard output and standard error written straight to their file descriptors: `lint` never
// creates the process.stdout or process.stderr streams, whose set-up (streams, a socket for a
// pipe) costs more start-up time than a small file's whole lint. A descriptor left non-blocking
// by whoever shares it hands the rest to the stream, which waits for it; the process must then
// not exit before the stream has drained (outputWritten says whether that happened).
import { writeSync } from 'node:fs';

let handedToStream = false;

/** Stops quietly when a reader that stopped early (`| head`) closed the pipe: the rest has nowhere to go. */
export function exitOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
}

function writeAll(fd: 1 | 2, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(fd, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
        exitOnClosedPipe(error as NodeJS.ErrnoException);
        return;
      }
      handedToStream = true;
      const stream = fd === 1 ? process.stdout : process.stderr;
      stream.on('error', exitOnClosedPipe);
      stream.write(bytes.subarray(written));
      return;
    }
  }
}

export function writeStdout(text: string): void {
  writeAll(1, text);
}

export function writeStderr(text: string): void {
  writeAll(2, text);
}

/** Whether everything writeStdout and writeStderr were given has reached its descriptor. */
export function outputWritten(): boolean {
  return !handedToStream;
}
