import { describe, expect, it } from 'vitest';
import { TerminalOutput } from './terminal-output';

describe('TerminalOutput', () => {
  it('joins a character split across frames, replaces invalid UTF-8, and strips what a shell must not send', () => {
    const t = new TerminalOutput();
    const euro = Buffer.from('€');
    let out = t.write(Buffer.concat([Buffer.from('$ ls\r\n\x1b[1;34mbin\x1b[0m '), euro.subarray(0, 1)]));
    out += t.write(Buffer.concat([euro.subarray(1), Buffer.from([0xff]), Buffer.from('\x1b]52;c;cm0gLXJmIH4K\x07\x1b]0;title\x07')]));
    out += t.write(Buffer.from('\x1b[21t\x1bP$q\x1b\\done\r\n')) + t.end();
    expect(out).toBe('$ ls\r\n\x1b[1;34mbin\x1b[0m €\ufffddone\r\n');
  });
});
