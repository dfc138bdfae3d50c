/**
 * Untrusted text headed for a terminal (xterm.js): container logs and the
 * output of a shell in a container. Whoever controls a container controls
 * these bytes, and a terminal obeys escape sequences: OSC 52 writes the
 * operator's clipboard, OSC 8 dresses a link as something else, title and
 * report sequences (`CSI 21 t`) can echo attacker text back as if typed,
 * cursor movement can overwrite another pod's lines to forge them, and an
 * unterminated OSC or DCS makes the terminal swallow everything after it.
 *
 * Two policies:
 * - `log` (one line of a log tail): printable text, tab, and SGR only
 *   (`CSI <digits ; :> m`, colours and styles, bounded length). Everything
 *   else is removed, including the whole body of OSC/DCS/SOS/PM/APC strings.
 * - `terminal` (an interactive exec): what a shell and full-screen programs
 *   need as well — CR/LF/BS/BEL, cursor movement, erase, scroll regions,
 *   modes (alternate screen, bracketed paste, mouse), charset selection —
 *   but still no OSC (clipboard, links, titles), no DCS/SOS/PM/APC, no
 *   window operations (`CSI t`), and no 8-bit C1 controls.
 *
 * Our parser follows the ECMA-48 / VT500 grammar that xterm.js implements, so
 * a sequence is removed whole rather than leaving its parameters behind as
 * text; where we deviate we only ever output less. Two deliberate
 * deviations keep hostile input from hiding later output: a line feed (and
 * the end of a log line) ends any open control string, and a control string
 * longer than {@link MAX_STRING} ends by itself. Because the output never
 * contains an unfinished sequence, the terminal itself can never be left in
 * a string state either.
 *
 * Also removed in both policies: the bidirectional overrides and isolates
 * (U+202A–E, U+2066–9), so no text reads backwards ("‮gnp.exe"), the same
 * rule as the rest of Triptych's untrusted text; and lone UTF-16 surrogates
 * become U+FFFD. Invalid UTF-8 is the decoder's business (core decodes with
 * `TextDecoder` in non-fatal mode, which yields U+FFFD) — this module works on
 * strings only, so it stays free of Node and DOM.
 */

export type SanitizePolicy = 'log' | 'terminal';

/** Longest SGR (parameters included) that is kept; longer ones are removed. */
export const MAX_SGR = 128;
/** Longest CSI the terminal policy keeps. */
const MAX_CSI = 256;
/** A control string (OSC, DCS, …) longer than this ends by itself, so it cannot hide what follows. */
export const MAX_STRING = 16 * 1024;
/** Default bound of one log line as shown, in UTF-16 code units (64 KiB of ASCII). */
export const MAX_LINE = 64 * 1024;

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
const ST8 = 0x9c;
const CSI8 = 0x9b;
const REPLACEMENT = '\ufffd';
const RESET = '\x1b[0m';

/** C0 controls a shell's output legitimately contains: BEL, BS, HT, LF, VT, FF, CR, SO, SI. */
const TERMINAL_C0 = new Set([0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f]);
/**
 * CSI final bytes the terminal policy keeps: cursor movement (A–H, `, a, d,
 * e, f), erase and edit (J, K, L, M, P, @, X), scrolling (S, T, r), tabs (I,
 * Z, g), SGR (m), modes (h, l), device status and attributes (n, c — their
 * replies go to the same container's stdin), save/restore cursor (s, u) and
 * cursor style (`SP q`). Not kept: `t` (window operations, including title
 * reports that type attacker text), and the rest (rectangular area ops,
 * locator reports, DECRQM…), which shells do not need.
 */
const TERMINAL_CSI_FINALS = new Set('@ABCDEFGHIJKLMPSTXZ`abcdefghlmnqrsu');
/** Two-byte escapes the terminal policy keeps: DECSC/DECRC, keypad modes, IND/NEL/RI, full reset. */
const TERMINAL_ESC_FINALS = new Set('78=>DEMc');

const enum State {
  Ground,
  Escape,
  /** ESC followed by intermediates (nF: charset designation and the like). */
  EscInter,
  Csi,
  /** A CSI too long or malformed to keep: swallowed up to its final byte, like a VT parser's CSI_IGNORE. */
  CsiIgnore,
  /** OSC, DCS, SOS, PM or APC: removed up to its terminator. */
  CtrlString,
}

function isBidiControl(c: number): boolean {
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/**
 * A sanitiser for a stream whose chunks may split an escape sequence or a
 * surrogate pair anywhere: an incomplete sequence is held back (bounded) until
 * the next chunk completes it. Feeding a text in any number of pieces gives
 * the same output as feeding it whole.
 */
export class StreamSanitizer {
  private state = State.Ground;
  /** The sequence being read (kept only while it may still be emitted). */
  private seq = '';
  /** Length of the control string or ignored CSI being removed. */
  private skipped = 0;
  /** In a control string, the previous character was ESC (maybe the start of ST). */
  private stringEsc = false;
  /** A high surrogate waiting for its low half from the next chunk. */
  private high = '';

  constructor(readonly policy: SanitizePolicy = 'terminal') {}

  /** Sanitises the next chunk; returns what may be written now. */
  push(chunk: string): string {
    return this.scan(chunk, false);
  }

  /** The stream ended: anything held back is incomplete and dropped. Resets the state. */
  end(): string {
    return this.scan('', true);
  }

  private scan(input: string, final: boolean): string {
    const terminal = this.policy === 'terminal';
    let out = '';
    /** Start of a run of plain text not yet copied to `out` (copying runs, not characters, keeps this fast). */
    let run = -1;
    const flushRun = (end: number): void => {
      if (run >= 0) out += input.slice(run, end);
      run = -1;
    };
    let i = 0;
    if (this.high) {
      // The held high surrogate pairs with this chunk's first unit, or stands alone.
      const c = input.charCodeAt(0);
      if (input.length > 0 && c >= 0xdc00 && c <= 0xdfff) {
        out += this.high + input[0];
        i = 1;
      } else if (input.length > 0 || final) {
        out += REPLACEMENT;
      }
      if (input.length > 0 || final) this.high = '';
    }
    for (; i < input.length; i++) {
      const c = input.charCodeAt(i);
      switch (this.state) {
        case State.Ground: {
          if (c >= 0x20 && c < 0x7f) {
            if (run < 0) run = i;
            continue;
          }
          if (c > 0x9f && c < 0xd800) {
            if (isBidiControl(c)) break;
            if (run < 0) run = i;
            continue;
          }
          if (c >= 0xd800 && c <= 0xdbff) {
            const d = input.charCodeAt(i + 1);
            if (i + 1 < input.length && d >= 0xdc00 && d <= 0xdfff) {
              if (run < 0) run = i;
              i++;
              continue;
            }
            if (i + 1 >= input.length && !final) {
              flushRun(i);
              this.high = input[i] as string;
              continue;
            }
            flushRun(i);
            out += REPLACEMENT;
            continue;
          }
          if (c >= 0xdc00 && c <= 0xdfff) {
            flushRun(i);
            out += REPLACEMENT;
            continue;
          }
          if (c > 0xdfff) {
            if (run < 0) run = i;
            continue;
          }
          // A control character: C0, DEL or C1.
          flushRun(i);
          if (c === 0x09 || (terminal && TERMINAL_C0.has(c))) {
            out += input[i];
          } else if (c === ESC) {
            this.state = State.Escape;
            this.seq = '\x1b';
          } else if (c === CSI8) {
            // 8-bit CSI: xterm.js would act on it; remove it and its parameters.
            this.state = State.CsiIgnore;
            this.skipped = 0;
          } else if (c === 0x90 || c === 0x98 || c === 0x9d || c === 0x9e || c === 0x9f) {
            // 8-bit DCS, SOS, OSC, PM, APC.
            this.enterString();
          }
          // Anything else (other C0, DEL, other C1) is dropped.
          continue;
        }
        case State.Escape: {
          if (c === 0x5b /* [ */) {
            this.state = State.Csi;
            this.seq += '[';
          } else if (c === 0x5d /* ] */ || c === 0x50 /* P */ || c === 0x58 /* X */ || c === 0x5e /* ^ */ || c === 0x5f /* _ */) {
            this.enterString();
          } else if (c >= 0x20 && c <= 0x2f) {
            this.state = State.EscInter;
            this.seq += input[i];
          } else if (c >= 0x30 && c <= 0x7e) {
            if (terminal && TERMINAL_ESC_FINALS.has(input[i] as string)) out += `\x1b${input[i]}`;
            this.toGround();
          } else if (c === ESC) {
            // A new sequence starts; the first ESC meant nothing.
            this.seq = '\x1b';
          } else if (c === CAN || c === SUB) {
            this.toGround();
          } else {
            // Not a sequence: drop the ESC, and read this character as text.
            this.toGround();
            i--;
          }
          continue;
        }
        case State.EscInter: {
          if (c >= 0x20 && c <= 0x2f && this.seq.length < 8) {
            this.seq += input[i];
          } else if (c >= 0x30 && c <= 0x7e) {
            // Charset designations (ESC ( B, ESC ( 0): ncurses emits them with every sgr0.
            const charset = this.seq.length === 2 && '()*+'.includes(this.seq[1] as string);
            if (terminal && charset) out += this.seq + input[i];
            this.toGround();
          } else {
            this.toGround();
            if (c !== CAN && c !== SUB) i--;
          }
          continue;
        }
        case State.Csi: {
          if (c >= 0x20 && c <= 0x3f) {
            this.seq += input[i];
            if (this.seq.length > (terminal ? MAX_CSI : MAX_SGR)) {
              this.state = State.CsiIgnore;
              this.skipped = this.seq.length;
              this.seq = '';
            }
          } else if (c >= 0x40 && c <= 0x7e) {
            const whole = this.seq + input[i];
            if (keepCsi(whole, terminal)) out += whole;
            this.toGround();
          } else if (c === ESC) {
            this.state = State.Escape;
            this.seq = '\x1b';
          } else {
            // A control or non-ASCII character inside the sequence: it is broken; drop it
            // and read the character as text (a terminal would execute a C0 here and go on,
            // so we only ever show less than it would).
            this.toGround();
            if (c !== CAN && c !== SUB) i--;
          }
          continue;
        }
        case State.CsiIgnore: {
          if (c >= 0x20 && c <= 0x3f && this.skipped < MAX_STRING) {
            this.skipped++;
          } else if (c >= 0x40 && c <= 0x7e) {
            this.toGround();
          } else {
            this.toGround();
            if (c !== CAN && c !== SUB) i--;
          }
          continue;
        }
        case State.CtrlString: {
          if (this.stringEsc) {
            this.stringEsc = false;
            if (c === 0x5c /* \ */) {
              this.toGround();
              continue;
            }
            // ESC inside a string aborts it and starts a new sequence (as in xterm).
            this.state = State.Escape;
            this.seq = '\x1b';
            i--;
            continue;
          }
          if (c === BEL || c === ST8 || c === CAN || c === SUB) {
            this.toGround();
          } else if (c === ESC) {
            this.stringEsc = true;
          } else if (c === 0x0a || ++this.skipped > MAX_STRING) {
            // Our own rule: a line feed or sheer length ends the string, so that what follows shows.
            this.toGround();
            if (c === 0x0a) i--;
          }
          continue;
        }
      }
      // `break` out of Ground lands here: the character is dropped.
      flushRun(i);
    }
    flushRun(input.length);
    if (final) {
      // Whatever is still open is incomplete: drop it.
      this.toGround();
      this.high = '';
    }
    return out;
  }

  private enterString(): void {
    this.state = State.CtrlString;
    this.seq = '';
    this.skipped = 0;
    this.stringEsc = false;
  }

  private toGround(): void {
    this.state = State.Ground;
    this.seq = '';
    this.skipped = 0;
    this.stringEsc = false;
  }
}

/** Whether a complete CSI (ESC [ … final) may pass. */
function keepCsi(seq: string, terminal: boolean): boolean {
  const final = seq[seq.length - 1] as string;
  const params = seq.slice(2, -1);
  if (final === 'm') return params.length <= MAX_SGR - 3 && /^[0-9;:]*$/.test(params);
  if (!terminal || !TERMINAL_CSI_FINALS.has(final)) return false;
  // Cursor style is `CSI Ps SP q`; otherwise only private markers and numbers, no intermediates.
  if (final === 'q') return /^[0-9]* $/.test(params);
  return /^[<=>?]?[0-9;:]*$/.test(params);
}

/** Anything the sanitiser would change: controls, C1, bidi controls, surrogates (then checked in full). */
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;
/** An SGR sequence in sanitised text. */
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;:]*m/g;
/** Room kept for a reset and the cut marker (` … [9,007,199,254,740,991 bytes cut]` is 38). */
const MARKER_ROOM = 48;

export interface SanitizeLineOptions {
  /** Longest line shown, in UTF-16 code units; longer lines are cut with a marker. Default {@link MAX_LINE}. */
  maxLength?: number;
  /** Bytes the caller already cut off the end of this line (core bounds lines while reading them). */
  cutBytes?: number;
  /**
   * End a line that leaves colours or styles set with a reset, so they do not
   * bleed into the next line — which, in a multiplexed tail, is another
   * pod's. Default true.
   */
  closeSgr?: boolean;
}

/**
 * Sanitises one log line for a terminal (the `log` policy): SGR stays,
 * everything else that is not printable text or a tab goes. Lines over
 * `maxLength` are cut (never inside a sequence or a surrogate pair) and end
 * with a marker saying how many bytes were cut. Idempotent.
 */
export function sanitizeLine(line: string, opts: SanitizeLineOptions = {}): string {
  const max = Math.max(64, opts.maxLength ?? MAX_LINE);
  let cutBytes = opts.cutBytes ?? 0;
  let out = line;
  if (SUSPECT.test(line)) {
    const s = new StreamSanitizer('log');
    out = s.push(line) + s.end();
  }
  // The reset and the marker to add come out of the budget, so that the result stays within
  // bounds — and sanitising it again changes nothing (idempotent).
  const close = opts.closeSgr !== false;
  const budget = max - (cutBytes > 0 ? MARKER_ROOM : 0) - (close && leavesSgrOpen(out) ? RESET.length : 0);
  if (out.length > budget) {
    let cut = max - MARKER_ROOM;
    const esc = out.lastIndexOf('\x1b', cut - 1);
    if (esc >= 0 && esc >= cut - MAX_SGR && out.indexOf('m', esc) >= cut) cut = esc;
    const unit = out.charCodeAt(cut - 1);
    if (unit >= 0xd800 && unit <= 0xdbff) cut--;
    cutBytes += utf8Length(out, cut, out.length);
    out = out.slice(0, cut);
  }
  if (close && leavesSgrOpen(out)) out += RESET;
  if (cutBytes > 0) out += ` … [${cutBytes.toLocaleString('en-US')} bytes cut]`;
  return out;
}

/** Whether sanitised text has SGR sequences and the last of them is not a full reset. */
function leavesSgrOpen(sanitized: string): boolean {
  if (!sanitized.includes('\x1b[')) return false;
  const all = sanitized.match(SGR);
  const last = all?.[all.length - 1];
  return last !== undefined && last !== RESET && last !== '\x1b[m';
}

/** The text a reader sees: sanitised text without its SGR sequences (for filters and search). */
export function visibleText(sanitized: string): string {
  return sanitized.includes('\x1b') ? sanitized.replace(SGR, '') : sanitized;
}

/** UTF-8 length of s[from, to) without allocating. */
export function utf8Length(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
