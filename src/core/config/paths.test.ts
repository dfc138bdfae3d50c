import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDir, resolveConfigPath, triptychConfigPath } from './paths';

describe('configDir', () => {
  it('uses ~/.config/triptych on Linux', () => {
    expect(configDir({}, '/home/ops', 'linux')).toBe('/home/ops/.config/triptych');
    expect(configDir({}, '/home/ops', 'freebsd')).toBe('/home/ops/.config/triptych');
  });

  it('honours an absolute XDG_CONFIG_HOME and ignores a relative one, per the XDG spec', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/srv/conf' }, '/home/ops', 'linux')).toBe('/srv/conf/triptych');
    expect(configDir({ XDG_CONFIG_HOME: 'conf' }, '/home/ops', 'linux')).toBe('/home/ops/.config/triptych');
  });

  it('uses Application Support on macOS', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/srv/conf' }, '/Users/ops', 'darwin')).toBe('/Users/ops/Library/Application Support/Triptych');
  });

  it('uses %APPDATA% on Windows, or its usual place when unset', () => {
    expect(configDir({ APPDATA: 'C:\\Users\\ops\\AppData\\Roaming' }, 'C:\\Users\\ops', 'win32')).toBe('C:\\Users\\ops\\AppData\\Roaming\\Triptych');
    expect(configDir({}, 'C:\\Users\\ops', 'win32')).toBe('C:\\Users\\ops\\AppData\\Roaming\\Triptych');
  });
});

describe('triptychConfigPath', () => {
  it('is triptych.yaml in the config folder by default', () => {
    expect(triptychConfigPath({}, '/home/ops', 'linux')).toEqual({ file: '/home/ops/.config/triptych/triptych.yaml', source: 'default' });
    expect(triptychConfigPath({}, '/Users/ops', 'darwin').file).toBe('/Users/ops/Library/Application Support/Triptych/triptych.yaml');
    expect(triptychConfigPath({ APPDATA: 'D:\\AppData' }, 'C:\\Users\\ops', 'win32').file).toBe('D:\\AppData\\Triptych\\triptych.yaml');
  });

  it('is TRIPTYCH_CONFIG when set, on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(triptychConfigPath({ TRIPTYCH_CONFIG: '/etc/triptych.yaml', XDG_CONFIG_HOME: '/x' }, '/h', platform)).toEqual({ file: '/etc/triptych.yaml', source: 'env' });
    }
  });
});

describe('resolveConfigPath', () => {
  it('reads ~/ as the home folder and relative paths against the config file’s folder', () => {
    expect(resolveConfigPath('~/inv/fra.csv', '/etc/triptych/triptych.yaml', '/home/ops')).toBe(path.join('/home/ops', 'inv/fra.csv'));
    expect(resolveConfigPath('inv/fra.csv', '/etc/triptych/triptych.yaml', '/home/ops')).toBe(path.resolve('/etc/triptych/inv/fra.csv'));
    expect(resolveConfigPath('/abs/fra.yaml', '/etc/triptych/triptych.yaml', '/home/ops')).toBe(path.resolve('/abs/fra.yaml'));
  });
});
