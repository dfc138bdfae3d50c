/**
 * Secret hygiene for the e2e suite: every token and lease id the training
 * Vault issued (asked of the fleet's control endpoint) is searched for in
 * what the console wrote to disk (its data dir, HOME) and printed (stdout,
 * stderr — where logs and crash dumps go). None may be there.
 */
import { readdir, readFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';

export interface ControlAccess {
  controlUrl: string;
  controlToken: string;
  caCert: string;
}

/** Every secret the training Vault has issued so far. */
export function issuedSecrets(t: ControlAccess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL('/v1/vault/issued', t.controlUrl), { ca: t.caCert, headers: { authorization: `Bearer ${t.controlToken}` } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += String(c)));
      res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve((JSON.parse(text) as { secrets: string[] }).secrets) : reject(new Error(text))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Records what this process prints from now on (the console's core runs in the test worker). */
export function captureOutput(): { text(): string; stop(): void } {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write.bind(s));
  streams.forEach((s, i) => {
    s.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (originals[i] as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof s.write;
  });
  return {
    text: () => chunks.join(''),
    stop: () => streams.forEach((s, i) => (s.write = originals[i] as typeof s.write)),
  };
}

/** Where each secret turns up: `file path` or `output`, one entry per place (the secret itself is never named). */
export async function leaks(secrets: readonly string[], dirs: readonly string[], output: string): Promise<string[]> {
  const found = new Set<string>();
  const check = (where: string, text: string): void => {
    if (secrets.some((s) => s.length >= 8 && text.includes(s))) found.add(where);
  };
  check('stdout/stderr', output);
  for (const dir of dirs) {
    for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
      if (!e.isFile()) continue;
      const file = path.join(e.parentPath, e.name);
      check(file, (await readFile(file).catch(() => Buffer.alloc(0))).toString('latin1'));
    }
  }
  return [...found];
}
