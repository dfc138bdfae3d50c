// `npm test`: everything CI runs, in order, with one summary line at the end.
// Typecheck and lint count as one test each, so a type error cannot hide
// behind green unit tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { hasCommand } from './system-packages.mjs';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'test-results');
mkdirSync(outDir, { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;

function step(name, cmd, args, env = {}, timeoutMs = undefined) {
  console.log(`\n── ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, timeout: timeoutMs, killSignal: 'SIGKILL' });
  if (r.error?.code === 'ETIMEDOUT') console.error(`${name}: did not finish within ${timeoutMs / 1000} s and was stopped`);
  return r.status === 0;
}

if (!hasCommand('kubectl')) {
  console.error('kubectl is not on PATH: the emulator tests use it as an independent client. Install kubectl 1.32 (https://kubernetes.io/docs/tasks/tools/).');
}

for (const [name, cmd, args] of [
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['lint', 'npm', ['run', '-s', 'lint']],
]) {
  if (step(name, cmd, args)) passed++;
  else failed++;
}

const vitestJson = path.join(outDir, 'vitest.json');
step('unit and integration tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += r.numPassedTests ?? 0;
  // A file that fails without a failing test (it did not load) counts once; a failing test is not counted again for its file and suites.
  const loadFailures = (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  failed += (r.numFailedTests ?? 0) + loadFailures;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else {
  failed++;
}

const e2eDir = path.join(root, 'e2e');
if (existsSync(e2eDir) && readdirSync(e2eDir).some((f) => f.endsWith('.spec.ts'))) {
  // scripts/e2e.mjs installs Chromium when missing and builds the console first.
  const e2eJson = path.join(outDir, 'e2e.json');
  step('end-to-end tests', 'node', ['scripts/e2e.mjs'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson });
  if (existsSync(e2eJson)) {
    const report = JSON.parse(readFileSync(e2eJson, 'utf8'));
    const s = report.stats ?? {};
    passed += s.expected ?? 0;
    // Errors outside a test (a worker's teardown: the secret-hygiene check) count as failures too.
    failed += (s.unexpected ?? 0) + (s.flaky ?? 0) + (report.errors?.length ?? 0);
    skipped += s.skipped ?? 0;
  } else {
    failed++;
  }
}

// The benchmark's smallest scale, as a smoke test: every figure must be produced (a number, not
// n/a or NaN) and every store must equal the emulator's state; the values themselves are not judged.
const smokeOut = path.join(outDir, 'bench-smoke.md');
rmSync(smokeOut, { force: true });
step('benchmark smoke (small scale)', 'npm', ['run', '-s', 'bench', '--', '--scale', 'small', '--runs', '1', '--seconds', '3', '--idle', '3', '--soak', '10', '--out', smokeOut], {}, 15 * 60_000);
const smokeProblems = checkBenchSmoke(smokeOut);
if (smokeProblems.length === 0) passed++;
else {
  failed++;
  console.error(`benchmark smoke: ${smokeProblems.join('; ')}`);
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);

/** What is wrong with a smoke run's RESULTS file, if anything. */
function checkBenchSmoke(file) {
  if (!existsSync(file)) return ['no results were written'];
  const rows = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| figure') && !l.startsWith('|---'));
  const problems = [];
  for (const figure of ['synced (live)', 'floor', 'kubectl', 'makeInformer', 'RSS after sync', 'heap after sync', 'idle CPU', 'event → store at 200', 'event → store at 1000', 'on screen', 'renderer frames', 'rack maps', 'compressed soak', 'stores vs emulator after sync', 'stores vs emulator after the soak', 'watch-expiry storm']) {
    const row = rows.find((r) => r.includes(figure));
    if (!row) problems.push(`no "${figure}" figure`);
    else if (/n\/a|NaN|not measured|did not finish|\*\*differs\*\*/.test(row) || !/\d/.test(row.split('|')[2] ?? '')) problems.push(`"${figure}" not produced: ${row}`);
  }
  return problems;
}
