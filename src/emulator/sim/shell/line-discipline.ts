/** The tty line discipline an interactive exec's keystrokes pass through. */
import type { InputQueue } from './input';

/**
 * A cooked-mode pty: echoes what is typed, edits the line (backspace,
 * Ctrl-U), hands complete lines to the reader on Enter, turns Ctrl-C into
 * SIGINT and Ctrl-D on an empty line into EOF. Escape sequences (arrow
 * keys) and other control keys are swallowed: there is no history.
 */
export class LineDiscipline {
  private line: string[] = [];
  /** 0: normal; 1: after ESC; 2: inside a CSI sequence; 3: after ESC O. */
  private esc = 0;
  private lastCr = false;

  constructor(
    private readonly queue: InputQueue,
    private readonly echo: (text: string) => void,
    private readonly interrupt: () => void,
  ) {}

  feed(text: string): void {
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 0;
      const wasCr = this.lastCr;
      this.lastCr = false;
      if (this.esc === 1) {
        this.esc = ch === '[' ? 2 : ch === 'O' ? 3 : 0;
        continue;
      }
      if (this.esc === 2) {
        if (code >= 0x40 && code <= 0x7e) this.esc = 0;
        continue;
      }
      if (this.esc === 3) {
        this.esc = 0;
        continue;
      }
      switch (ch) {
        case '\x1b':
          this.esc = 1;
          break;
        case '\r':
        case '\n':
          // A terminal sends CR for Enter; a CR LF pair is one Enter.
          if (ch === '\n' && wasCr) break;
          this.lastCr = ch === '\r';
          this.echo('\r\n');
          this.queue.push(`${this.line.join('')}\n`);
          this.line = [];
          break;
        case '\x7f':
        case '\b':
          if (this.line.length > 0) {
            this.line.pop();
            this.echo('\b \b');
          }
          break;
        case '\x03':
          this.echo('^C');
          this.line = [];
          this.interrupt();
          break;
        case '\x04':
          if (this.line.length === 0) this.queue.eof();
          break;
        case '\x15':
          this.echo('\b \b'.repeat(this.line.length));
          this.line = [];
          break;
        default:
          if (code < 0x20) break;
          this.line.push(ch);
          this.echo(ch);
      }
    }
  }
}
