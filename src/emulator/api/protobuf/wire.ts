/**
 * The protobuf wire format, read-only: just what decoding Kubernetes request
 * bodies needs. Every read is bounds-checked, so a truncated or hostile body
 * ends in a ProtobufError rather than an exception from deep inside Buffer or
 * an endless loop.
 */

/**
 * A request body that cannot be decoded. `code` is the HTTP status the API
 * server should answer with: 400 for a malformed body, 415 for a well-formed
 * one in a shape the training fleet does not decode (an unknown kind, a
 * compressed payload).
 */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
  readonly code: 400 | 415;
  /** Field names from the object's root down to where decoding failed, innermost last. */
  readonly path: string[] = [];

  constructor(message: string, code: 400 | 415 = 400) {
    super(message);
    this.code = code;
  }

  /** Records that the failure happened inside `field`; callers add outer fields later, so they go first. */
  within(field: string): this {
    this.path.unshift(field);
    return this;
  }
}

export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const START_GROUP = 3;
export const END_GROUP = 4;
export const FIXED32 = 5;

/** The largest field number protobuf allows (2^29 - 1). */
const MAX_FIELD = 0x1fffffff;

/** A cursor over one message's bytes: [pos, end) of `buf`. */
export class Reader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    readonly end = buf.length,
  ) {
    this.pos = pos;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private byte(): number {
    if (this.pos >= this.end) throw new ProtobufError('unexpected EOF: truncated varint');
    return this.buf[this.pos++] as number;
  }

  /**
   * A varint as an unsigned 64-bit value. Like Go's decoder, bits past the
   * 64th are dropped and an eleventh byte is an overflow.
   */
  varint(): bigint {
    // Most varints are one or two bytes; stay in plain numbers while exact (< 2^49).
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 7; i++) {
      const b = this.byte();
      n += (b & 0x7f) * mul;
      if (b < 0x80) return BigInt(n);
      mul *= 128;
    }
    let big = BigInt(n);
    for (let shift = 49n; shift < 70n; shift += 7n) {
      const b = this.byte();
      big |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, big);
    }
    throw new ProtobufError('integer overflow: varint longer than 10 bytes');
  }

  /** A varint used as a size or tag: must fit a JS number exactly. */
  private smallVarint(what: string): number {
    const v = this.varint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtobufError(`invalid ${what}: ${v}`);
    return Number(v);
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const t = this.smallVarint('tag');
    const field = Math.floor(t / 8);
    const wire = t % 8;
    if (field <= 0 || field > MAX_FIELD) throw new ProtobufError(`illegal tag ${field} (wire type ${wire})`);
    return { field, wire };
  }

  /** The extent of a length-delimited payload, which the cursor then skips. */
  span(): { start: number; end: number } {
    const len = this.smallVarint('length');
    const start = this.pos;
    if (len > this.end - start) throw new ProtobufError(`unexpected EOF: length ${len} runs past the end of the message (${this.end - start} bytes left)`);
    this.pos = start + len;
    return { start, end: this.pos };
  }

  bytes(): Uint8Array {
    const { start, end } = this.span();
    return this.buf.subarray(start, end);
  }

  string(): string {
    const { start, end } = this.span();
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + start, end - start).toString('utf8');
  }

  /** A reader over the next length-delimited payload. */
  sub(): Reader {
    const { start, end } = this.span();
    return new Reader(this.buf, start, end);
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new ProtobufError('unexpected EOF: truncated fixed-width field');
    this.pos += n;
  }

  /**
   * Skips a field the schema does not know, as protobuf requires: newer
   * clients may send fields this table predates. Groups (a proto1 relic)
   * are skipped by counting their nesting, without recursion.
   */
  skip(wire: number): void {
    let depth = 0;
    for (;;) {
      switch (wire) {
        case VARINT:
          this.varint();
          break;
        case FIXED64:
          this.advance(8);
          break;
        case LEN:
          this.span();
          break;
        case FIXED32:
          this.advance(4);
          break;
        case START_GROUP:
          depth++;
          break;
        case END_GROUP:
          if (depth === 0) throw new ProtobufError('unexpected end of group');
          depth--;
          break;
        default:
          throw new ProtobufError(`illegal wire type ${wire}`);
      }
      if (depth === 0) return;
      if (this.done) throw new ProtobufError('unexpected EOF: unterminated group');
      wire = this.tag().wire;
    }
  }
}
