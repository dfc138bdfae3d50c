/** The training fleet's control endpoint, as the bench drives it (load, faults, journals). */
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface FleetFiles {
  sites: { name: string; server: string; contexts: Record<'admin' | 'operator' | 'viewer', string> }[];
  control: { address: string; token: string };
}

export async function fleetControl(dir: string): Promise<(method: string, p: string, body?: unknown) => Promise<unknown>> {
  const info = JSON.parse(await readFile(path.join(dir, 'fleet.json'), 'utf8')) as FleetFiles;
  const ca = await readFile(path.join(dir, 'ca.crt'), 'utf8');
  return (method, p, body) =>
    new Promise((resolve, reject) => {
      const req = https.request(new URL(p, info.control.address), { method, ca, headers: { authorization: `Bearer ${info.control.token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`control ${method} ${p}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as unknown);
        });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
}

/** Restart journals: site → `namespace/name#restarts` → epoch ms the emulator committed it. */
export type Journal = Record<string, Record<string, number>>;
