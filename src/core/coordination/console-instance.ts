/**
 * Which running console did something: the workstation plus a random id per
 * process, so that two consoles of the same admin (two windows, two
 * workstations) are told apart in Lease holders and Event sources.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';

let instance: string | undefined;

/** This process's console id, e.g. `ws-alice-3f9a2b` (stable for the process's lifetime). */
export function consoleInstance(): string {
  // The hostname is cut so that the id fits Event.reportingInstance (128) with room to spare.
  instance ??= `${os.hostname().slice(0, 64)}-${randomBytes(3).toString('hex')}`;
  return instance;
}
