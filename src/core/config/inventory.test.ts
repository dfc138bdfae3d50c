import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { ConfigError } from './errors';
import { tempDir, type TempDir } from './fixtures';
import { loadInventory, parseInventory, parseInventoryCsv, parseInventoryYaml } from './inventory';

const CSV = '/inv/fra.csv';
const YML = '/inv/fra.yaml';

function problems(parse: () => unknown): string[] {
  try {
    parse();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => `${i.line ?? '-'}:${i.column ?? '-'} ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\n"multi\nline",x,\n', CSV)).toEqual([
      { line: 1, fields: ['a', 'b, c', 'say "hi"'] },
      { line: 2, fields: ['multi\nline', 'x', ''] },
    ]);
  });

  it('skips comments and blank lines, trims unquoted fields, and copes with BOM and CRLF', () => {
    expect(parseCsv('\uFEFFh1 , h2\r\n# a comment, with commas\r\n\r\n  \r\n  x ,  " y "\r\n', CSV)).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 5, fields: ['x', ' y '] },
    ]);
  });

  it('keeps line numbers right after a quoted line break', () => {
    expect(parseCsv('"a\r\nb",c\nd\n', CSV).map((r) => r.line)).toEqual([1, 3]);
  });

  it('reports malformed quoting with line and column', () => {
    expect(problems(() => parseCsv('h\nx\n"open,\nmore\n', CSV))).toEqual(['3:1 quoted field is never closed: add the closing "']);
    expect(problems(() => parseCsv('h,i\n"a"b,c\n', CSV))).toEqual(['2:4 unexpected text after a closing quote: a quoted field must end at the next comma']);
    expect(problems(() => parseCsv('h,i\nab"c,d\n', CSV))).toEqual(['2:3 a quote inside an unquoted field: quote the whole field and double the inner quote ("")']);
  });
});

describe('parseInventoryCsv', () => {
  it('maps hostnames to room, rack and unit', () => {
    const inv = parseInventoryCsv('hostname,room,rack,unit\nfra-a-r01-u01,a,A-01,1\nFRA-B-R07-U12, b ,"B-07",12\nfra-c-r01-u01,,,\n', CSV);
    expect([...inv]).toEqual([
      ['fra-a-r01-u01', { room: 'a', rack: 'A-01', unit: 1 }],
      ['fra-b-r07-u12', { room: 'b', rack: 'B-07', unit: 12 }],
      ['fra-c-r01-u01', {}],
    ]);
  });

  it('accepts the columns in any order, and only some of them', () => {
    const inv = parseInventoryCsv('# exported from the CMDB\nRack,Hostname\nA-01,n1\n', CSV);
    expect(inv.get('n1')).toEqual({ rack: 'A-01' });
  });

  it('reports bad rows with their line numbers, all at once', () => {
    expect(problems(() => parseInventoryCsv('hostname,room,rack,unit\nn1,a,A-01\nn2,a,A-01,0\nn3,a,A-01,1U\nn_4,a,A-01,1\n,a,A-01,2\nn1,a,A-01,3\n', CSV))).toEqual([
      '2:- expected 4 fields (hostname,room,rack,unit), found 3',
      "3:- unit must be a whole number from 1 (the lowest rack unit the chassis occupies), found '0'",
      "4:- unit must be a whole number from 1 (the lowest rack unit the chassis occupies), found '1U'",
      "5:- 'n_4' is not a valid node name (lower-case letters, digits, '-' and '.')",
      '6:- hostname is empty',
    ]);
  });

  it('refuses a hostname listed twice, naming the first line', () => {
    expect(problems(() => parseInventoryCsv('hostname,unit\nn1,1\n\nN1,2\n', CSV))).toEqual(["4:- 'n1' is already listed at line 2"]);
  });

  it('explains header problems', () => {
    expect(problems(() => parseInventoryCsv('', CSV))).toEqual(['-:- the file is empty: expected the header hostname,room,rack,unit and a row per node']);
    expect(problems(() => parseInventoryCsv('# only a comment\n', CSV))).toHaveLength(1);
    expect(problems(() => parseInventoryCsv('hostname,romm,rack\n', CSV))).toEqual([
      "1:- the first line must be a header of hostname,room,rack,unit; 'romm' is not a column (did you mean 'room'?)",
    ]);
    expect(problems(() => parseInventoryCsv('fra-a-r01-u01,a,A-01,1\n', CSV))[0]).toContain("'fra-a-r01-u01' is not a column");
    expect(problems(() => parseInventoryCsv('room,rack\n', CSV))).toEqual(["1:- the header needs a 'hostname' column (found room,rack)"]);
    expect(problems(() => parseInventoryCsv('hostname,rack,rack\n', CSV))).toEqual(["1:- column 'rack' appears twice in the header"]);
    expect(problems(() => parseInventoryCsv('hostname;room;rack;unit\n', CSV))).toEqual(["1:- fields must be separated by commas; this header uses ';'"]);
  });

  it('reads resources/inventory.example.csv', async () => {
    const inv = await loadInventory(path.resolve('resources/inventory.example.csv'));
    expect(inv.size).toBe(6);
    expect(inv.get('dub-b-r01-u03')).toEqual({ room: 'b', rack: 'B-01' });
    expect(inv.get('dub-c-r01-u01')).toEqual({ room: 'c', rack: 'C-01 "cage 4"', unit: 1 });
  });
});

describe('parseInventoryYaml', () => {
  it('maps hostnames to room, rack and unit', () => {
    const inv = parseInventoryYaml(
      ['nodes:', '  fra-a-r01-u01: {room: a, rack: A-01, unit: 1}', '  FRA-B-R07-U12:', '    rack: 7', '    unit: "12"', '  fra-c-r01-u01:', ''].join('\n'),
      YML,
    );
    expect([...inv]).toEqual([
      ['fra-a-r01-u01', { room: 'a', rack: 'A-01', unit: 1 }],
      ['fra-b-r07-u12', { rack: '7', unit: 12 }],
      ['fra-c-r01-u01', {}],
    ]);
  });

  it('accepts an empty nodes mapping', () => {
    expect(parseInventoryYaml('nodes: {}\n', YML).size).toBe(0);
    expect(parseInventoryYaml('nodes:\n', YML).size).toBe(0);
  });

  it('reports problems with line and column', () => {
    const text = ['nodes:', '  n1: {room: a, rak: A-01}', '  n2: {unit: -3}', '  n3: [a]', '  n4: {room: [x]}', '  n5: {room: true}', 'extra: 1', ''].join('\n');
    expect(problems(() => parseInventoryYaml(text, YML))).toEqual([
      "2:17 unknown key 'rak' for 'n1' (did you mean 'rack'?); allowed: room, rack, unit",
      "3:14 unit must be a whole number from 1 (the lowest rack unit the chassis occupies), found '-3'",
      "4:7 'n3' must map to room, rack and unit, found a list",
      '5:14 room must be a single value, found a list',
      '6:14 room must be text, found boolean',
      "7:1 unknown key 'extra'; the inventory has only 'nodes:'",
    ]);
  });

  it('refuses a hostname listed twice and invalid hostnames', () => {
    expect(problems(() => parseInventoryYaml('nodes:\n  n1: {}\n  N1: {}\n  "bad host": {}\n', YML))).toEqual([
      "3:3 'n1' is already listed at line 2",
      "4:3 'bad host' is not a valid node name (lower-case letters, digits, '-' and '.')",
    ]);
  });

  it('explains files of the wrong shape', () => {
    expect(problems(() => parseInventoryYaml('', YML))).toEqual(['1:1 the file is empty: expected a mapping with nodes: { <hostname>: { room, rack, unit } }']);
    expect(problems(() => parseInventoryYaml('- n1\n', YML))[0]).toContain('found a list');
    expect(problems(() => parseInventoryYaml('node:\n  n1: {}\n', YML))).toEqual([
      "1:1 unknown key 'node' (did you mean 'nodes'?); the inventory has only 'nodes:'",
      "1:1 no 'nodes:' key: expected a mapping with nodes: { <hostname>: { room, rack, unit } }",
    ]);
    expect(problems(() => parseInventoryYaml('nodes: [n1]\n', YML))).toEqual(["1:8 'nodes' must map hostnames to placements, found a list"]);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(problems(() => parseInventoryYaml('nodes:\n  n1: {room: a\n', YML))[0]).toMatch(/^\d+:\d+ YAML: /);
  });
});

describe('parseInventory and loadInventory', () => {
  let t: TempDir | undefined;
  afterEach(() => t?.remove());

  it('picks the format by extension', () => {
    expect(parseInventory('hostname\nn1\n', '/x/inv.CSV').has('n1')).toBe(true);
    expect(parseInventory('nodes: {n1: {}}\n', '/x/inv.yml').has('n1')).toBe(true);
    expect(parseInventory('nodes: {n1: {}}\n', '/x/inv.yaml').has('n1')).toBe(true);
    expect(problems(() => parseInventory('', '/x/inv.txt'))).toEqual(['-:- inventory files must end in .csv, .yaml or .yml (the extension picks the format)']);
  });

  it('reads files from disk, naming the file in errors', async () => {
    t = await tempDir();
    const good = await t.write('ams.yaml', 'nodes:\n  ams-a-r01-u01: {room: a, rack: A-01, unit: 1}\n');
    expect((await loadInventory(good)).get('ams-a-r01-u01')).toEqual({ room: 'a', rack: 'A-01', unit: 1 });
    const bad = await t.write('ams.csv', 'hostname,unit\nn1,x\n');
    await expect(loadInventory(bad)).rejects.toThrow(`${bad}:2: unit must be a whole number`);
  });
});
