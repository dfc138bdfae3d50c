/**
 * Table-driven decoding of Kubernetes API messages into the JSON a client
 * would have sent for the same object.
 *
 * A field is written the way Kubernetes' Go types declare it:
 * `[protobuf field number, json tag, Go type]`, for example
 * `[4, 'immutable,omitempty', '*bool']`. The field number says where the
 * value is on the wire; the json tag and the Go type say how encoding/json
 * renders the Go value, which is what makes the result equal, field for
 * field, to the JSON body kubectl sends with `Content-Type: application/json`:
 *
 * - a `*T` absent from the wire is nil: omitted with omitempty, else `null`;
 * - a plain scalar absent from the wire is its zero value, which omitempty
 *   drops (`""`, `0`, `false`);
 * - a plain struct is never empty: it renders as an object even when absent
 *   (`"resources": {}`, `"status": {}`), except Time, whose zero is `null`;
 * - `[]T` and `map[string]T` are nil unless an element arrived: omitted with
 *   omitempty, else `null`;
 * - `,inline` merges the nested struct's fields into the parent (Volume's
 *   VolumeSource, Probe's ProbeHandler).
 *
 * Go types: string, bool, int32, int64, []byte, the name of another message
 * in the tables, or one of the apimachinery types with their own JSON form:
 * Time, MicroTime, IntOrString, Quantity, RawExtension. A `map[string][]string`
 * (UserInfo.extra) is a map of a wrapper message whose field 1 is the list.
 */
import { civilFromDays } from '../../civil-date';
import { LEN, ProtobufError, VARINT, type Reader } from './wire';

/** One field: `[protobuf field number, json tag, Go type]`. */
export type FieldSpec = readonly [number, string, string];

/** Messages by name; a name is unique across every table passed to Schema. */
export type MessageTable = Readonly<Record<string, readonly FieldSpec[]>>;

type Shape = 'value' | 'pointer' | 'list' | 'map';

interface Field {
  num: number;
  /** The JSON name; empty for an inline struct. */
  json: string;
  omitempty: boolean;
  shape: Shape;
  /** A scalar, a special or a message name. */
  elem: string;
}

interface Message {
  name: string;
  fields: Field[];
  byNum: Map<number, Field>;
}

const SCALARS = new Set(['string', 'bool', 'int32', 'int64', 'bytes']);

// The apimachinery types whose JSON is not an object, as protobuf messages.
// Their wire layouts, from apimachinery's generated.proto files:
//   Timestamp (Time, MicroTime) {int64 seconds = 1; int32 nanos = 2}
//   IntOrString {int64 type = 1; int32 intVal = 2; string strVal = 3}
//   Quantity {string string = 1}
//   RawExtension {bytes raw = 1}
//   ExtraValue (map[string][]string values) {repeated string items = 1}
const SPECIAL_TABLE: MessageTable = {
  Time: [[1, 'seconds', 'int64'], [2, 'nanos', 'int32']],
  MicroTime: [[1, 'seconds', 'int64'], [2, 'nanos', 'int32']],
  IntOrString: [[1, 'type', 'int64'], [2, 'intVal', 'int32'], [3, 'strVal', 'string']],
  Quantity: [[1, 'string', 'string']],
  RawExtension: [[1, 'raw', '[]byte']],
  StringList: [[1, 'items', '[]string']],
};

/** What a message decodes to before rendering: field number → Go value. */
export type Decoded = Map<number, unknown>;

function parseField(msg: string, [num, tag, type]: FieldSpec): Field {
  const [json = '', ...opts] = tag.split(',');
  const inline = opts.includes('inline');
  let shape: Shape = 'value';
  let elem = type;
  if (type.startsWith('map[string]')) {
    shape = 'map';
    elem = type.slice('map[string]'.length);
    if (elem === '[]string') elem = 'StringList';
  } else if (type === '[]byte') {
    elem = 'bytes';
  } else if (type.startsWith('[]')) {
    shape = 'list';
    elem = type.slice(2);
  } else if (type.startsWith('*')) {
    shape = 'pointer';
    elem = type.slice(1);
  }
  if (elem === '[]byte') elem = 'bytes';
  if (!Number.isInteger(num) || num <= 0) throw new Error(`${msg}.${json}: bad field number ${num}`);
  if (inline !== (json === '')) throw new Error(`${msg}: a field must have a json name or be inline: ${tag}`);
  if (inline && shape !== 'value') throw new Error(`${msg}: only a plain struct can be inline: ${tag}`);
  return { num, json, omitempty: opts.includes('omitempty'), shape, elem };
}

/** A compiled set of message tables. */
export class Schema {
  private readonly messages = new Map<string, Message>();

  /** Checks every table up front, so a typo fails at startup and not on some request. */
  constructor(tables: readonly MessageTable[]) {
    for (const table of [SPECIAL_TABLE, ...tables]) {
      for (const [name, specs] of Object.entries(table)) {
        if (this.messages.has(name)) throw new Error(`protobuf message ${name} is defined twice`);
        const fields = specs.map((s) => parseField(name, s));
        const byNum = new Map<number, Field>();
        for (const f of fields) {
          if (byNum.has(f.num)) throw new Error(`${name}: field number ${f.num} is used twice`);
          byNum.set(f.num, f);
        }
        this.messages.set(name, { name, fields, byNum });
      }
    }
    for (const m of this.messages.values()) {
      for (const f of m.fields) {
        if (!SCALARS.has(f.elem) && !this.messages.has(f.elem)) throw new Error(`${m.name}.${f.json}: unknown type ${f.elem}`);
        if (f.json === '' && SCALARS.has(f.elem)) throw new Error(`${m.name}: inline field ${f.num} is not a struct`);
      }
    }
  }

  has(name: string): boolean {
    return this.messages.has(name);
  }

  private message(name: string): Message {
    const m = this.messages.get(name);
    if (!m) throw new Error(`unknown protobuf message ${name}`);
    return m;
  }

  /**
   * Decodes one message's bytes. Fields the table lacks are skipped; a
   * repeated message field merges into what came before, as protobuf
   * specifies.
   */
  decode(name: string, r: Reader, into: Decoded = new Map()): Decoded {
    const m = this.message(name);
    while (!r.done) {
      const { field, wire } = r.tag();
      const f = m.byNum.get(field);
      if (!f) {
        r.skip(wire);
        continue;
      }
      try {
        this.decodeField(f, wire, r, into);
      } catch (e) {
        throw e instanceof ProtobufError ? e.within(f.json || `(${f.elem})`) : e;
      }
    }
    return into;
  }

  private decodeField(f: Field, wire: number, r: Reader, into: Decoded): void {
    if (f.shape === 'list') {
      let list = into.get(f.num) as unknown[] | undefined;
      if (!list) into.set(f.num, (list = []));
      // Repeated numbers may come packed into one length-delimited run.
      if (wire === LEN && (f.elem === 'int32' || f.elem === 'int64' || f.elem === 'bool')) {
        const sub = r.sub();
        while (!sub.done) list.push(this.scalar(f.elem, VARINT, sub));
        return;
      }
      list.push(this.element(f.elem, wire, r));
      return;
    }
    if (f.shape === 'map') {
      let map = into.get(f.num) as Map<string, unknown> | undefined;
      if (!map) into.set(f.num, (map = new Map()));
      expectWire(wire, LEN);
      // A map entry is a message {key = 1; value = 2}; either may be missing.
      const entry = r.sub();
      let key = '';
      let value: unknown;
      while (!entry.done) {
        const t = entry.tag();
        if (t.field === 1) {
          expectWire(t.wire, LEN);
          key = entry.string();
        }
        else if (t.field === 2) value = this.element(f.elem, t.wire, entry, value);
        else entry.skip(t.wire);
      }
      map.set(key, value === undefined ? this.zeroValue(f.elem) : value);
      return;
    }
    into.set(f.num, this.element(f.elem, wire, r, into.get(f.num)));
  }

  /** One value of a scalar or message type; a message merges into `prev`. */
  private element(elem: string, wire: number, r: Reader, prev?: unknown): unknown {
    if (SCALARS.has(elem)) return this.scalar(elem, wire, r);
    expectWire(wire, LEN);
    const sub = r.sub();
    // Go unmarshals Time by replacing the value, and an empty Timestamp is
    // the zero time rather than the Unix epoch.
    if (elem === 'Time' || elem === 'MicroTime') return sub.done ? null : this.decode(elem, sub);
    return this.decode(elem, sub, prev instanceof Map ? (prev as Decoded) : new Map());
  }

  private scalar(elem: string, wire: number, r: Reader): string | boolean | number | bigint | Uint8Array {
    switch (elem) {
      case 'string':
        expectWire(wire, LEN);
        return r.string();
      case 'bytes':
        expectWire(wire, LEN);
        return r.bytes();
      case 'bool':
        expectWire(wire, VARINT);
        return r.varint() !== 0n;
      case 'int32':
        expectWire(wire, VARINT);
        return Number(BigInt.asIntN(32, r.varint()));
      default:
        expectWire(wire, VARINT);
        return BigInt.asIntN(64, r.varint());
    }
  }

  /** A map value that was absent from its entry: the Go zero value of the type. */
  private zeroValue(elem: string): unknown {
    if (elem === 'string') return '';
    if (elem === 'bool') return false;
    if (elem === 'int32') return 0;
    if (elem === 'int64') return 0n;
    if (elem === 'bytes') return new Uint8Array(0);
    if (elem === 'Time' || elem === 'MicroTime') return null;
    return new Map();
  }

  /** Renders a decoded message as encoding/json would render the Go struct. */
  render(name: string, d: Decoded | undefined, out: Record<string, unknown> = {}): Record<string, unknown> {
    for (const f of this.message(name).fields) {
      const v = d?.get(f.num);
      try {
        if (f.json === '') {
          this.render(f.elem, v as Decoded | undefined, out);
          continue;
        }
        if (f.shape === 'list' || f.shape === 'map' || f.shape === 'pointer' || f.elem === 'bytes') {
          // Slices, maps and pointers: nil unless something arrived on the wire.
          if (v === undefined) {
            if (!f.omitempty) out[f.json] = null;
            continue;
          }
          if (f.shape === 'list') {
            if (f.omitempty && (v as unknown[]).length === 0) continue;
            out[f.json] = (v as unknown[]).map((e) => this.renderValue(f.elem, e));
          } else if (f.shape === 'map') {
            const map = v as Map<string, unknown>;
            if (f.omitempty && map.size === 0) continue;
            const obj: Record<string, unknown> = {};
            // encoding/json sorts map keys.
            for (const k of [...map.keys()].sort(byCodeUnits)) {
              // A key named __proto__ must become a property, as JSON.parse makes it, not a prototype.
              Object.defineProperty(obj, k, { value: this.renderValue(f.elem, map.get(k)), enumerable: true, writable: true, configurable: true });
            }
            out[f.json] = obj;
          } else if (f.shape === 'pointer') {
            out[f.json] = this.renderValue(f.elem, v);
          } else {
            if (f.omitempty && (v as Uint8Array).length === 0) continue;
            out[f.json] = this.renderValue('bytes', v);
          }
          continue;
        }
        const value = v === undefined ? this.zeroValue(f.elem) : v;
        if (f.omitempty && (value === '' || value === false || value === 0 || value === 0n)) continue;
        out[f.json] = this.renderValue(f.elem, value);
      } catch (e) {
        throw e instanceof ProtobufError ? e.within(f.json || `(${f.elem})`) : e;
      }
    }
    return out;
  }

  private renderValue(elem: string, v: unknown): unknown {
    switch (elem) {
      case 'string':
      case 'bool':
      case 'int32':
        return v;
      case 'int64':
        // JSON numbers, as the brief for this API asks; past 2^53 they lose precision.
        return Number(v as bigint);
      case 'bytes':
        return Buffer.from(v as Uint8Array).toString('base64');
      case 'Time':
        return v === null ? null : formatTime(v as Decoded, false);
      case 'MicroTime':
        return v === null ? null : formatTime(v as Decoded, true);
      case 'IntOrString':
        return intOrString(v as Decoded);
      case 'Quantity':
        return quantity(v as Decoded);
      case 'RawExtension':
        return rawExtension(v as Decoded);
      case 'StringList': {
        const items = (v as Decoded).get(1) as string[] | undefined;
        return items ?? null;
      }
      default:
        return this.render(elem, v as Decoded);
    }
  }
}

function expectWire(got: number, want: number): void {
  if (got !== want) throw new ProtobufError(`wrong wire type ${got}, expected ${want}`);
}

function byCodeUnits(a: string, b: string): number {
  // Go sorts map keys bytewise; for the ASCII keys Kubernetes uses that is code-unit order.
  return a < b ? -1 : a > b ? 1 : 0;
}

// Go's zero time.Time, 0001-01-01T00:00:00Z, in Unix seconds.
const ZERO_TIME_SECONDS = -62135596800n;
const NANOS = 1_000_000_000n;

/**
 * Time renders as RFC 3339 in UTC with whole seconds (the apiserver drops the
 * nanoseconds when it decodes protobuf, to match JSON); MicroTime keeps six
 * fractional digits. Go's zero time renders as null.
 */
function formatTime(d: Decoded, micro: boolean): string | null {
  let seconds = (d.get(1) as bigint | undefined) ?? 0n;
  let nanos = 0n;
  if (micro) {
    const raw = BigInt((d.get(2) as number | undefined) ?? 0);
    // Truncated toward zero to microseconds, then normalised into [0, 1s) as time.Unix does.
    const total = seconds * NANOS + (raw - (raw % 1000n));
    seconds = total / NANOS;
    nanos = total % NANOS;
    if (nanos < 0n) {
      nanos += NANOS;
      seconds -= 1n;
    }
  }
  if (seconds === ZERO_TIME_SECONDS && nanos === 0n) return null;
  if (seconds > BigInt(Number.MAX_SAFE_INTEGER) || seconds < -BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtobufError(`timestamp out of range: ${seconds} seconds`);
  const s = Number(seconds);
  const days = Math.floor(s / 86400);
  const secOfDay = s - days * 86400;
  const [y, mo, da] = civilFromDays(days);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const year = y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
  const clock = `${pad(Math.floor(secOfDay / 3600))}:${pad(Math.floor((secOfDay % 3600) / 60))}:${pad(secOfDay % 60)}`;
  const frac = micro ? `.${pad(Number(nanos / 1000n), 6)}` : '';
  return `${year}-${pad(mo)}-${pad(da)}T${clock}${frac}Z`;
}

function intOrString(d: Decoded): number | string {
  const type = (d.get(1) as bigint | undefined) ?? 0n;
  if (type === 0n) return (d.get(2) as number | undefined) ?? 0;
  if (type === 1n) return (d.get(3) as string | undefined) ?? '';
  throw new ProtobufError(`impossible IntOrString type ${type}`);
}

// The forms resource.ParseQuantity accepts: a decimal number and an optional
// binary-SI, decimal-SI or exponent suffix.
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;

/**
 * A Quantity's wire form is already its canonical string (client-go marshals
 * `q.String()`), so it is passed through after the apiserver's syntax check.
 * A Quantity message without its string is the zero quantity.
 */
function quantity(d: Decoded): string {
  const s = d.get(1) as string | undefined;
  if (s === undefined) return '0';
  if (!QUANTITY.test(s)) throw new ProtobufError(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(s)}`);
  return s;
}

/** RawExtension's JSON is its raw bytes, which clients fill with JSON. */
function rawExtension(d: Decoded): unknown {
  const raw = d.get(1) as Uint8Array | undefined;
  if (!raw || raw.length === 0) return null;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown;
  } catch {
    throw new ProtobufError('embedded object (RawExtension) is not JSON');
  }
}
