// Reads the length words of what a client sends, as the bytes arrive and before any message is
// buffered whole, so that one announcing a message larger than the server accepts is refused
// after its first five bytes instead of after the client has sent (and the server has held)
// hundreds of megabytes. It only follows the framing; the messages are read elsewhere.
import type { ErrorFields } from './messages';
import { StartupCode } from './messages';

/** PostgreSQL's MAX_STARTUP_PACKET_LENGTH: the largest startup packet it reads. */
export const MAX_STARTUP_PACKET = 10_000;
/** Before authentication a client sends only passwords and SASL tokens (PostgreSQL: PG_MAX_AUTH_TOKEN_LENGTH). */
export const MAX_AUTH_MESSAGE = 65_535;
/** CockroachDB's sql.conn.max_read_buffer_message_size default: 16 MiB. */
export const DEFAULT_MAX_MESSAGE = 16 * 1024 * 1024;

export class FrameGuard {
  /** Header bytes of the packet being read: 8 for an untyped packet (length, code), 5 for a message. */
  private readonly header = Buffer.alloc(8);
  private headerLength = 0;
  /** Bytes of the current packet's body still to pass. */
  private skip = 0;
  /** Whether the startup packet has gone by: from then on messages carry a type byte. */
  private typed = false;

  constructor(
    /** The largest message body accepted now (it grows once the client has authenticated). */
    private readonly maxMessage: () => number,
  ) {}

  /** Follows a chunk of client bytes; an error when it announces a packet that must be refused. */
  feed(chunk: Buffer): ErrorFields | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const passed = Math.min(this.skip, chunk.length - at);
        this.skip -= passed;
        at += passed;
        continue;
      }
      const needed = this.typed ? 5 : 8;
      const taken = Math.min(needed - this.headerLength, chunk.length - at);
      chunk.copy(this.header, this.headerLength, at, at + taken);
      this.headerLength += taken;
      at += taken;
      if (this.headerLength < needed) return undefined;
      this.headerLength = 0;
      const refused = this.typed ? this.message() : this.startupPacket();
      if (refused) return refused;
    }
    return undefined;
  }

  private startupPacket(): ErrorFields | undefined {
    const length = this.header.readUInt32BE(0);
    if (length < 8 || length > MAX_STARTUP_PACKET) return { severity: 'FATAL', code: '08P01', message: 'invalid length of startup packet' };
    const code = this.header.readUInt32BE(4);
    // After an SSL or GSS encryption request the client sends its startup packet next.
    if (code !== StartupCode.SSLRequest && code !== StartupCode.GSSENCRequest) this.typed = true;
    this.skip = length - 8;
    return undefined;
  }

  private message(): ErrorFields | undefined {
    const length = this.header.readUInt32BE(1);
    if (length < 4) return { severity: 'FATAL', code: '08P01', message: 'invalid message length' };
    const max = this.maxMessage();
    if (length - 4 > max)
      return {
        severity: 'FATAL',
        code: '08P01',
        message: `message size ${byteSize(length - 4)} bigger than maximum allowed message size ${byteSize(max)}`,
      };
    this.skip = length - 4;
    return undefined;
  }
}

/** A byte count as CockroachDB prints one (16 MiB, 64 KiB, 10 B). */
export function byteSize(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} B`;
}
