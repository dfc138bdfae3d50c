/**
 * The sanitiser against a corpus of hostile sequences (what each would do to
 * an operator's terminal is in its name) and against properties over
 * arbitrary input: nothing but SGR ever carries an ESC out, the result is a
 * fixed point, stream chunking does not matter, and lines stay bounded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINE, MAX_STRING, StreamSanitizer, sanitizeLine, utf8Length, visibleText } from './sanitize';

/** Input → expected output under the log policy. */
const CORPUS: [name: string, input: string, expected: string][] = [
  ['OSC 52 clipboard write (BEL)', 'a\x1b]52;c;cm0gLXJmIH4K\x07b', 'ab'],
  ['OSC 52 clipboard write (ST)', 'a\x1b]52;c;cm0gLXJmIH4K\x1b\\b', 'ab'],
  ['OSC 52 with 8-bit OSC and ST', 'a\x9d52;c;cm0gLXJmIH4K\x9cb', 'ab'],
  ['OSC 8 hyperlink dressed as another', '\x1b]8;;https://evil.example/\x1b\\https://bank.example\x1b]8;;\x1b\\', 'https://bank.example'],
  ['OSC 0 window title', '\x1b]0;sudo password:\x07ok', 'ok'],
  ['OSC 2 title, ST', '\x1b]2;x\x1b\\ok', 'ok'],
  ['OSC 1337 (iTerm2 file)', '\x1b]1337;File=inline=1:QUJD\x07ok', 'ok'],
  ['unterminated OSC at the end of the line', 'ok\x1b]52;c;QUJD', 'ok'],
  ['OSC aborted by CAN', '\x1b]0;x\x18shown', 'shown'],
  ['OSC aborted by a new ESC sequence', '\x1b]0;x\x1b[31mred', '\x1b[31mred\x1b[0m'],
  ['DCS (DECRQSS reply bait)', '\x1bP$qm\x1b\\ok', 'ok'],
  ['DCS sixel', '\x1bPq#0;2;0;0;0#1!6~\x1b\\ok', 'ok'],
  ['8-bit DCS', '\x90$qm\x9cok', 'ok'],
  ['APC (kitty graphics)', '\x1b_Gf=100,a=T;QUJD\x1b\\ok', 'ok'],
  ['PM', '\x1b^private\x1b\\ok', 'ok'],
  ['SOS', '\x1bXstart of string\x1b\\ok', 'ok'],
  ['erase screen and home (forge the view)', '\x1b[2J\x1b[Hfake', 'fake'],
  ['cursor up to overwrite an earlier line', 'x\x1b[10Ay', 'xy'],
  ['cursor position', '\x1b[1;1Hz', 'z'],
  ['save / restore cursor', '\x1b7a\x1b8b', 'ab'],
  ['full reset (RIS)', '\x1bcok', 'ok'],
  ['alternate screen', '\x1b[?1049hok', 'ok'],
  ['hide cursor', '\x1b[?25lok', 'ok'],
  ['device status report (types a reply)', '\x1b[6nok', 'ok'],
  ['title report (types the title)', '\x1b[21tok', 'ok'],
  ['window ops: resize', '\x1b[8;100;300tok', 'ok'],
  ['private-marker "m" (modifyOtherKeys) is not SGR', '\x1b[>4;2mok', 'ok'],
  ['SGR with intermediate is not SGR', '\x1b[1 mok', 'ok'],
  ['8-bit CSI', '\x9b31mred', 'red'],
  ['8-bit CSI cursor move', 'a\x9b10Ab', 'ab'],
  ['charset switch to line drawing', '\x1b(0lqk\x1b(B', 'lqk'],
  ['DECALN screen fill', '\x1b#8ok', 'ok'],
  ['keypad mode', '\x1b=ok\x1b>', 'ok'],
  ['carriage return overwrite', 'rm -rf /\rls', 'rm -rf /ls'],
  ['backspaces', 'abc\b\b\bxyz', 'abcxyz'],
  ['NUL, BEL, DEL, VT, FF', 'a\x00b\x07c\x7fd\x0be\x0cf', 'abcdef'],
  ['other C1 controls', 'a\x85b\x8dc\x9cd', 'abcd'],
  ['ESC followed by a non-ASCII letter', '\x1béx', 'éx'],
  ['ESC ESC', '\x1b\x1b[1mbold', '\x1b[1mbold\x1b[0m'],
  ['lone ESC at the end', 'ok\x1b', 'ok'],
  ['bidi override (reads backwards)', 'invoice\u202efdp.exe', 'invoicefdp.exe'],
  ['bidi isolates', 'a\u2066b\u2069c', 'abc'],
  ['lone surrogates', 'a\ud800b\udc00c', 'a\ufffdb\ufffdc'],
  ['tab is kept', 'a\tb', 'a\tb'],
  ['SGR colours kept and closed', '\x1b[31merror\x1b[39m done', '\x1b[31merror\x1b[39m done\x1b[0m'],
  ['256-colour and truecolour SGR kept', '\x1b[38;5;196ma\x1b[38:2::255:0:0mb\x1b[0m', '\x1b[38;5;196ma\x1b[38:2::255:0:0mb\x1b[0m'],
  ['SGR that resets last is not closed again', '\x1b[1mb\x1b[m', '\x1b[1mb\x1b[m'],
  ['over-long SGR removed whole', `\x1b[${'1;'.repeat(200)}mX`, 'X'],
  ['broken CSI: a control inside', '\x1b[3\x001mx', '1mx'],
  ['emoji and accents untouched', 'héllo 👋 ✓', 'héllo 👋 ✓'],
];

describe('sanitizeLine: hostile corpus', () => {
  for (const [name, input, expected] of CORPUS) {
    it(name, () => {
      const out = sanitizeLine(input);
      expect(out).toBe(expected);
      expect(sanitizeLine(out)).toBe(out);
    });
  }

  it('a CSI with a huge parameter run does not swallow the text after it', () => {
    const out = sanitizeLine(`\x1b[${'9'.repeat(30_000)}Xvisible`);
    expect(out.endsWith('visible')).toBe(true);
    expect(out).not.toContain('\x1b');
  });

  it('cuts a 1 MB line to the bound with a marker saying how many bytes were cut', () => {
    const line = 'a'.repeat(1_000_000);
    const t0 = performance.now();
    const out = sanitizeLine(line);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(out.length).toBeLessThanOrEqual(MAX_LINE);
    const kept = out.indexOf(' … [');
    expect(out.slice(kept)).toBe(` … [${(1_000_000 - kept).toLocaleString('en-US')} bytes cut]`);
    expect(sanitizeLine(out)).toBe(out);
  });

  it('never cuts inside an SGR sequence or a surrogate pair, and counts UTF-8 bytes', () => {
    for (let shift = 0; shift < 12; shift++) {
      const line = 'x'.repeat(MAX_LINE - 60 + shift) + '\x1b[38;5;196m' + '👋'.repeat(50_000);
      const out = sanitizeLine(line);
      const body = out.slice(0, out.indexOf(' … ['));
      expect(body).not.toMatch(/\x1b(?!\[[0-9;:]*m)/); // eslint-disable-line no-control-regex
      expect(body).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      const cut = Number(/\[([\d,]+) bytes cut\]$/.exec(out)?.[1]?.replace(/,/g, ''));
      // What was kept (without the reset the sanitiser closes a coloured line with) plus what was cut is the line.
      const kept = body.endsWith('\x1b[0m') ? body.slice(0, -4) : body;
      expect(line.startsWith(kept)).toBe(true);
      expect(cut + utf8Length(kept)).toBe(utf8Length(line));
    }
  });

  it('counts the closing reset within the bound (found by the properties below)', () => {
    const line = '\x1b[38;5;196m  𐀀𐀀 𐀀𐀀𐀀  '.repeat(8);
    const once = sanitizeLine(line, { maxLength: 208 });
    expect(once.length).toBeLessThanOrEqual(208);
    expect(sanitizeLine(once, { maxLength: 208 })).toBe(once);
  });

  it('adds the caller\'s cut bytes to the marker and keeps the bound', () => {
    const out = sanitizeLine('b'.repeat(MAX_LINE), { cutBytes: 936_000 });
    expect(out.length).toBeLessThanOrEqual(MAX_LINE);
    expect(out).toMatch(/ … \[(\d{3},\d{3}) bytes cut\]$/);
    expect(sanitizeLine(out)).toBe(out);
  });
});

describe('StreamSanitizer (terminal policy)', () => {
  const term = (s: string): string => {
    const x = new StreamSanitizer('terminal');
    return x.push(s) + x.end();
  };

  it('keeps what a shell needs: CR LF, BS, cursor moves, erase, modes, SGR, charsets', () => {
    const ok = 'a\r\nb\b \b\x1b[2J\x1b[H\x1b[10;5H\x1b[K\x1b[?1049h\x1b[?2004l\x1b[1;32mgreen\x1b[0m\x1b(B\x1b7\x1b8\x1bM\x1b[3 q\x07';
    expect(term(ok)).toBe(ok);
  });

  it('still removes OSC, DCS, APC, title reports and C1 controls', () => {
    expect(term('\x1b]52;c;QUJD\x07\x1b]8;;http://x\x1b\\l\x1b]8;;\x1b\\\x1bPq#0\x1b\\\x1b_G;x\x1b\\\x1b[21t\x1b[8;1;1t\x9b2J\x9d0;t\x9cok')).toBe('lok');
  });

  it('a line feed ends an unterminated OSC, so the rest of the session shows', () => {
    const s = new StreamSanitizer('terminal');
    expect(s.push('\x1b]0;never ends')).toBe('');
    expect(s.push(' still title\r\n$ ls\r\n')).toBe('\n$ ls\r\n');
  });

  it('an OSC longer than its bound ends by itself', () => {
    const s = new StreamSanitizer('terminal');
    let out = s.push('\x1b]1337;File=');
    for (let i = 0; i < 5; i++) out += s.push('A'.repeat(MAX_STRING / 2));
    expect(out.length).toBeGreaterThan(0);
    expect(out).toMatch(/^A+$/);
  });

  it('holds a sequence split across chunks until it is complete', () => {
    const s = new StreamSanitizer('terminal');
    expect(s.push('a\x1b')).toBe('a');
    expect(s.push('[3')).toBe('');
    expect(s.push('1mred')).toBe('\x1b[31mred');
    expect(s.push('\ud83d')).toBe('');
    expect(s.push('\udc4b!')).toBe('👋!');
    expect(s.push('\x1b]52;c;')).toBe('');
    expect(s.push('QUJD\x1b')).toBe('');
    expect(s.push('\\done')).toBe('done');
    expect(s.end()).toBe('');
  });
});

// --- properties ---------------------------------------------------------------

/** Pieces hostile input is made of, so that random strings hit the parser's states often. */
const PIECES = ['\x1b', '\x1b[', '\x1b]', '\x1bP', '\x1b_', '\x1b^', '\x1bX', '\x9b', '\x9d', '\x90', '\x9c', '\x07', '\x18', '\x1a', '\x1b\\', '\n', '\r', '\t', '\b',
  '31m', '38;5;196m', '1;2H', '?1049h', '>4m', '52;c;', '8;;http://x', ' q', '0;', ';', ':', 'm', 'H', '\ud800', '\udc00', '👋', '\u202e', '\x00', '\x7f', '\x85', 'é'];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 }), fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 60 })
  .map((parts) => parts.join(''));

/** ESCs allowed out of the log policy: only at the start of SGR. */
// eslint-disable-next-line no-control-regex
const NOT_SGR_ESC = /\x1b(?!\[[0-9;:]*m)/;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('properties', () => {
  it('log policy: no ESC but in well-formed SGR, no other controls, no lone surrogates', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = sanitizeLine(s);
        expect(out).not.toMatch(NOT_SGR_ESC);
        expect(visibleText(out)).not.toMatch(CONTROLS);
        expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      }),
      { numRuns: 5000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(fc.property(hostile, (s) => {
      expect(sanitizeLine(sanitizeLine(s))).toBe(sanitizeLine(s));
    }), { numRuns: 5000 });
    fc.assert(fc.property(hostile, fc.integer({ min: 64, max: 300 }), (s, max) => {
      const once = sanitizeLine(s.repeat(8), { maxLength: max });
      expect(once.length).toBeLessThanOrEqual(max);
      expect(sanitizeLine(once, { maxLength: max })).toBe(once);
    }), { numRuns: 2000 });
  });

  it('leaves ordinary text alone', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
      fc.pre(!CONTROLS.test(s));
      expect(sanitizeLine(s)).toBe(s);
    }), { numRuns: 2000 });
  });

  it('terminal policy: chunking never changes the output, and no OSC/DCS/APC/PM/SOS or C1 gets through', () => {
    fc.assert(
      fc.property(hostile, fc.array(fc.nat(), { maxLength: 8 }), (s, cuts) => {
        const whole = new StreamSanitizer('terminal');
        const expected = whole.push(s) + whole.end();
        const points = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b);
        const chunked = new StreamSanitizer('terminal');
        let out = '';
        let from = 0;
        for (const p of points) {
          out += chunked.push(s.slice(from, p));
          from = p;
        }
        out += chunked.push(s.slice(from)) + chunked.end();
        expect(out).toBe(expected);
        expect(out).not.toMatch(/\x1b[\]P_^X]|[\u0080-\u009f]/); // eslint-disable-line no-control-regex
        // Every ESC starts a sequence the policy allows.
        expect(out).not.toMatch(/\x1b(?!\[[<=>?]?[0-9;:]*[@ABCDEFGHIJKLMPSTXZ`abcdefghlmnrsu]|\[[0-9]* q|[78=>DEMc]|[()*+][\x30-\x7e])/); // eslint-disable-line no-control-regex
      }),
      { numRuns: 5000 },
    );
  });

  it('log policy: a line of any length is bounded', () => {
    fc.assert(fc.property(hostile, fc.integer({ min: 1, max: 20_000 }), (s, n) => {
      expect(sanitizeLine(s.repeat(n), { maxLength: 4096 }).length).toBeLessThanOrEqual(4096);
    }), { numRuns: 300 });
  });
});
