/**
 * Where triptych.yaml lives on each platform, following each platform's
 * convention for per-user configuration (the same folders Electron's
 * app.getPath('appData') uses on macOS and Windows).
 */
import path from 'node:path';
import type { Env } from './kubeconfig';

/** The file name of the site configuration. */
export const CONFIG_FILE_NAME = 'triptych.yaml';

/** Where the site configuration is looked for, and why there. */
export interface ConfigLocation {
  file: string;
  /** `env` when TRIPTYCH_CONFIG named the file: then it must exist. */
  source: 'env' | 'default';
}

function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * The per-user configuration folder: `%APPDATA%\Triptych` on Windows,
 * `~/Library/Application Support/Triptych` on macOS, else
 * `$XDG_CONFIG_HOME/triptych` (default `~/.config/triptych`).
 */
export function configDir(env: Env, home: string, platform: NodeJS.Platform): string {
  const p = pathFor(platform);
  if (platform === 'win32') return p.join(env.APPDATA || p.join(home, 'AppData', 'Roaming'), 'Triptych');
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', 'Triptych');
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.config'), 'triptych');
}

/** The triptych.yaml to read: TRIPTYCH_CONFIG when set, else the one in configDir. */
export function triptychConfigPath(env: Env, home: string, platform: NodeJS.Platform): ConfigLocation {
  const explicit = env.TRIPTYCH_CONFIG;
  if (explicit) return { file: explicit, source: 'env' };
  return { file: pathFor(platform).join(configDir(env, home, platform), CONFIG_FILE_NAME), source: 'default' };
}

/**
 * Resolves a path written in a configuration file: `~/` means the home folder
 * and relative paths are relative to the file's folder, not to wherever the
 * console happened to be started.
 */
export function resolveConfigPath(value: string, relativeToFile: string, home: string): string {
  if (value === '~') return home;
  if (value.startsWith('~/') || value.startsWith('~\\')) return path.join(home, value.slice(2));
  return path.resolve(path.dirname(relativeToFile), value);
}
