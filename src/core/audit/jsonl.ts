/**
 * The audit log, for now: one JSON object per line, appended and flushed to
 * disk per entry (a crash loses nothing written), readable only by the user.
 * The hash chain and the Kubernetes Event mirror come with the runbooks.
 */
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

export class JsonlAudit {
  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  }

  append(entry: Record<string, unknown>): void {
    const fd = openSync(this.file, 'a', 0o600);
    try {
      appendFileSync(fd, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
