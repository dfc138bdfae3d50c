/**
 * Inventory files: where each node sits, for fleets whose node labels lack
 * room, rack or unit. CSV (`hostname,room,rack,unit`) or YAML
 * (`nodes: { <hostname>: { room, rack, unit } }`), chosen by extension.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, type Node } from 'yaml';
import { parseCsv, type CsvRecord } from './csv';
import { ConfigError, didYouMean, sortIssues, type ConfigIssue } from './errors';
import { isNodeName } from './rules';
import { deref, describe, entries, isNothing, issueAt, parseYaml, where } from './yaml';

/** Where a node sits; each part may be unknown. `unit` is the lowest rack unit, 1 = bottom. */
export interface Placement {
  room?: string;
  rack?: string;
  unit?: number;
}

/** Node name (lower-case) → placement. */
export type Inventory = Map<string, Placement>;

const COLUMNS = ['hostname', 'room', 'rack', 'unit'] as const;
type Column = (typeof COLUMNS)[number];
const PARTS = ['room', 'rack', 'unit'] as const;

/** Reads an inventory file; the extension (.csv, .yaml, .yml) picks the format. */
export async function loadInventory(file: string): Promise<Inventory> {
  return parseInventory(await readFile(file, 'utf8'), file);
}

/** Parses inventory text in the format `file`'s extension names. */
export function parseInventory(text: string, file: string): Inventory {
  if (/\.csv$/i.test(file)) return parseInventoryCsv(text, file);
  if (/\.ya?ml$/i.test(file)) return parseInventoryYaml(text, file);
  throw new ConfigError([{ file, message: 'inventory files must end in .csv, .yaml or .yml (the extension picks the format)' }]);
}

/** A value as written, checked and normalised; `report` receives what is wrong with it. */
function placementValue(part: (typeof PARTS)[number], raw: unknown, report: (message: string) => void): string | number | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  if (part === 'unit') {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    if (Number.isInteger(n) && n >= 1) return n;
    report(`unit must be a whole number from 1 (the lowest rack unit the chassis occupies), found '${String(raw)}'`);
    return undefined;
  }
  if (typeof raw === 'string' || typeof raw === 'number') return String(raw).trim() || undefined;
  report(`${part} must be text, found ${typeof raw}`);
  return undefined;
}

/** Checks a host name; node names are lower-case, inventories exported from a CMDB often are not. */
function hostName(raw: string, report: (message: string) => void): string | undefined {
  const name = raw.trim().toLowerCase();
  if (isNodeName(name)) return name;
  report(name === '' ? 'hostname is empty' : `'${raw}' is not a valid node name (lower-case letters, digits, '-' and '.')`);
  return undefined;
}

/** Parses the CSV form: a header naming the columns (hostname required), then one row per node. */
export function parseInventoryCsv(text: string, file: string): Inventory {
  const [header, ...rows] = parseCsv(text, file);
  if (!header) throw new ConfigError([{ file, message: `the file is empty: expected the header ${COLUMNS.join(',')} and a row per node` }]);
  const columns = readHeader(header, file);
  const issues: ConfigIssue[] = [];
  const inventory: Inventory = new Map();
  const lineOf = new Map<string, number>();
  for (const row of rows) {
    const report = (message: string): void => void issues.push({ file, line: row.line, message });
    if (row.fields.length !== columns.length) {
      report(`expected ${columns.length} fields (${columns.join(',')}), found ${row.fields.length}`);
      continue;
    }
    const value = (c: Column): string | undefined => row.fields[columns.indexOf(c)];
    const host = hostName(value('hostname') ?? '', report);
    const placement: Placement = {};
    for (const part of PARTS) {
      const v = placementValue(part, value(part), report);
      if (v !== undefined) Object.assign(placement, { [part]: v });
    }
    if (host !== undefined) addHost(inventory, lineOf, host, placement, row.line, report);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return inventory;
}

function readHeader(header: CsvRecord, file: string): Column[] {
  const fail = (message: string): never => {
    throw new ConfigError([{ file, line: header.line, message }]);
  };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  if (names.length === 1 && /[;\t]/.test(names[0] ?? '')) fail(`fields must be separated by commas; this header uses '${/;/.test(names[0] ?? '') ? ';' : 'tab'}'`);
  const columns: Column[] = [];
  for (const name of names) {
    const column = COLUMNS.find((c) => c === name);
    if (!column) fail(`the first line must be a header of ${COLUMNS.join(',')}; '${name}' is not a column${didYouMean(name, COLUMNS)}`);
    else if (columns.includes(column)) fail(`column '${column}' appears twice in the header`);
    else columns.push(column);
  }
  if (!columns.includes('hostname')) fail(`the header needs a 'hostname' column (found ${names.join(',')})`);
  return columns;
}

function addHost(inventory: Inventory, lineOf: Map<string, number>, host: string, placement: Placement, line: number, report: (m: string) => void): void {
  const first = lineOf.get(host);
  if (first !== undefined) {
    report(`'${host}' is already listed at line ${first}`);
    return;
  }
  lineOf.set(host, line);
  inventory.set(host, placement);
}

/** Parses the YAML form: `nodes:` mapping each hostname to its room, rack and unit. */
export function parseInventoryYaml(text: string, file: string): Inventory {
  const y = parseYaml(text, file);
  const root = deref(y, y.doc.contents);
  const expected = 'expected a mapping with nodes: { <hostname>: { room, rack, unit } }';
  if (root === null || (isScalar(root) && root.value === null)) throw new ConfigError([{ file, line: 1, column: 1, message: `the file is empty: ${expected}` }]);
  if (!isMap(root)) throw new ConfigError([issueAt(y, root, `${expected}, found ${describe(root)}`)]);
  const issues: ConfigIssue[] = [];
  const inventory: Inventory = new Map();
  let nodes: Node | null | undefined;
  for (const e of entries(y, root, issues)) {
    if (e.key === 'nodes') nodes = e.value;
    else issues.push(issueAt(y, e.keyNode, `unknown key '${e.key}'${didYouMean(e.key, ['nodes'])}; the inventory has only 'nodes:'`));
  }
  if (nodes === undefined) issues.push(issueAt(y, root, `no 'nodes:' key: ${expected}`));
  else if (!isNothing(nodes) && !isMap(nodes)) issues.push(issueAt(y, nodes, `'nodes' must map hostnames to placements, found ${describe(nodes)}`));
  const lineOf = new Map<string, number>();
  for (const host of nodes ? entries(y, nodes, issues) : []) {
    const at = (node: Node | null) => (message: string): void => void issues.push(issueAt(y, node, message));
    const name = hostName(host.key, at(host.keyNode));
    const placement: Placement = {};
    if (!isNothing(host.value) && !isMap(host.value)) at(host.value)(`'${host.key}' must map to room, rack and unit, found ${describe(host.value)}`);
    for (const part of host.value ? entries(y, host.value, issues) : []) {
      const key = PARTS.find((p) => p === part.key);
      if (!key) {
        at(part.keyNode)(`unknown key '${part.key}' for '${host.key}'${didYouMean(part.key, PARTS)}; allowed: ${PARTS.join(', ')}`);
        continue;
      }
      if (part.value !== null && !isScalar(part.value)) {
        at(part.value)(`${key} must be a single value, found ${describe(part.value)}`);
        continue;
      }
      const v = placementValue(key, isScalar(part.value) ? part.value.value : null, at(part.value));
      if (v !== undefined) Object.assign(placement, { [key]: v });
    }
    if (name !== undefined) addHost(inventory, lineOf, name, placement, where(y, host.keyNode).line, at(host.keyNode));
  }
  if (issues.length > 0) throw new ConfigError(sortIssues(issues));
  return inventory;
}
