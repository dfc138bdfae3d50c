/**
 * A container's terminal output made safe to hand to xterm.js: bytes decoded
 * as a UTF-8 stream (invalid bytes become U+FFFD; a character split across
 * WebSocket frames is joined), then sanitised with the `terminal` policy —
 * what a shell and full-screen programs need passes, clipboard writes, links,
 * titles and other control strings do not (see shared/terminal/sanitize).
 */
import { StreamSanitizer } from '../../shared/terminal/sanitize';

export class TerminalOutput {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private readonly sanitizer = new StreamSanitizer('terminal');

  /** The next bytes; returns what may be written to the terminal now. */
  write(bytes: Uint8Array): string {
    return this.sanitizer.push(this.decoder.decode(bytes, { stream: true }));
  }

  /** The session ended: whatever is still held back is incomplete and dropped. */
  end(): string {
    return this.sanitizer.push(this.decoder.decode()) + this.sanitizer.end();
  }
}
