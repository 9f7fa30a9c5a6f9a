// Guards the language server's stdin framing. vscode-jsonrpc's reader trusts every header: after
// a header without a usable Content-Length it leaves the unread body in front of the next
// message, and a Content-Length larger than the body swallows the messages that follow, so one
// bad write wedges the server for good. This stream passes well-formed messages through
// unchanged and, on anything else, drops bytes up to the next `Content-Length:` header (as other
// language servers resynchronise), telling `onSkip` what it dropped.
import { Transform, type TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = Buffer.from('Content-Length:');
/** Headers are a line or two; more than this without a blank line is not a header. */
const MAX_HEADER_BYTES = 8192;

interface Header {
  bytes: Buffer;
  length: number;
}

/** The header block's Content-Length, or a reason it is not a header. */
function readHeader(block: string): number | string {
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    if (!/^[a-z][a-z0-9-]*$/.test(name)) return `not a header line: ${JSON.stringify(line.slice(0, 60))}`;
    if (name !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) return `Content-Length is not a number: ${JSON.stringify(value.slice(0, 60))}`;
    length = Number(value);
  }
  return length ?? 'a header without Content-Length';
}

/**
 * Where a message header starts inside what claimed to be a body: `Content-Length: <digits>`
 * and a raw CR cannot be part of a JSON body (outside a string it is no JSON token, inside a
 * string CR must be escaped), so such a header means the claimed length was wrong.
 */
function headerInBody(body: Buffer, from: number): number {
  for (let at = body.indexOf(CONTENT_LENGTH, from); at !== -1; at = body.indexOf(CONTENT_LENGTH, at + 1)) {
    let i = at + CONTENT_LENGTH.length;
    while (body[i] === 0x20) i++;
    const digits = i;
    while (i < body.length && (body[i] ?? 0) >= 0x30 && (body[i] ?? 0) <= 0x39) i++;
    if (i > digits && body[i] === 0x0d) return at;
  }
  return -1;
}

/** The bytes kept from the end of a body chunk, so a stray header split across chunks is still seen. */
const TAIL_BYTES = 48;

export class MessageFraming extends Transform {
  /** Bytes of a header not yet complete (small: a header longer than MAX_HEADER_BYTES is dropped). */
  private pending: Buffer = Buffer.alloc(0);
  private header: Header | undefined;
  /** The body so far, kept as chunks and joined once: a 50 MB message costs no quadratic copying. */
  private chunks: Buffer[] = [];
  private received = 0;
  private tail: Buffer = Buffer.alloc(0);

  constructor(private readonly onSkip: (bytes: number, reason: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let input = chunk;
    for (;;) {
      if (this.header) {
        // An empty body (Content-Length: 0) is complete without further input.
        if (input.length === 0 && this.received < this.header.length) break;
        input = this.body(this.header, input);
      } else if (input.length > 0) input = this.headerBytes(input);
      else break;
    }
    done();
  }

  /** Takes header bytes; returns what follows a complete header (the body's first bytes). */
  private headerBytes(input: Buffer): Buffer {
    this.pending = this.pending.length === 0 ? input : Buffer.concat([this.pending, input]);
    for (;;) {
      const end = this.pending.indexOf(HEADER_END);
      if (end === -1) {
        if (this.pending.length > MAX_HEADER_BYTES) {
          const next = this.pending.indexOf(CONTENT_LENGTH, 1);
          this.dropPending(next === -1 ? this.pending.length - CONTENT_LENGTH.length : next, 'bytes that are not a message header');
        }
        return Buffer.alloc(0);
      }
      const length = readHeader(this.pending.subarray(0, end).toString('latin1'));
      const blockEnd = end + HEADER_END.length;
      if (typeof length === 'string') {
        // Garbage then a header in the same block ("junkContent-Length: 5"): keep the header.
        const next = this.pending.indexOf(CONTENT_LENGTH, 1);
        this.dropPending(next !== -1 && next < end ? next : blockEnd, length);
        continue;
      }
      this.header = { bytes: this.pending.subarray(0, blockEnd), length };
      const rest = this.pending.subarray(blockEnd);
      this.pending = Buffer.alloc(0);
      return rest;
    }
  }

  private dropPending(bytes: number, reason: string): void {
    this.pending = this.pending.subarray(bytes);
    this.onSkip(bytes, reason);
  }

  /** Takes body bytes; returns what follows the body (the next header's bytes). */
  private body(header: Header, input: Buffer): Buffer {
    const part = input.subarray(0, header.length - this.received);
    const probe = this.tail.length === 0 ? part : Buffer.concat([this.tail, part]);
    const stray = headerInBody(probe, 0);
    if (stray !== -1) {
      const dropped = header.bytes.length + this.received - this.tail.length + stray;
      this.resetBody();
      this.onSkip(dropped, `Content-Length ${header.length} runs into the next message`);
      return Buffer.concat([probe.subarray(stray), input.subarray(part.length)]);
    }
    this.chunks.push(part);
    this.received += part.length;
    this.tail = probe.subarray(Math.max(0, probe.length - TAIL_BYTES));
    if (this.received < header.length) return Buffer.alloc(0);
    this.push(Buffer.concat([header.bytes, ...this.chunks]));
    this.resetBody();
    return input.subarray(part.length);
  }

  private resetBody(): void {
    this.header = undefined;
    this.chunks = [];
    this.received = 0;
    this.tail = Buffer.alloc(0);
  }
}
