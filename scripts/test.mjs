// `npm test`: type-check, lint, unit + integration (Vitest), end-to-end (Playwright, once e2e/ exists).
// Ends with one line summing every suite: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tmp = path.join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(title, command, args, options = {}) {
  console.log(`\n=== ${title}: ${[path.basename(command), ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...options.env } });
  return result.status === 0;
}

/** A check that is one test: passes or fails as a whole. */
function check(title, command, args) {
  if (run(title, command, args)) totals.passed++;
  else {
    totals.failed++;
    failures.push(title);
  }
}

check('type-check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
check('lint', bin('eslint'), ['.', '--max-warnings=0']);

const vitestReport = path.join(tmp, 'vitest-report.json');
rmSync(vitestReport, { force: true });
const vitestOk = run('unit + integration', bin('vitest'), ['run', '--project', 'unit', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no tests to count: count it as one failure.
  const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0);
  totals.failed += brokenFiles.length;
  if (report.numFailedTests || brokenFiles.length) failures.push('unit + integration');
} else if (!vitestOk) {
  totals.failed++;
  failures.push('unit + integration (no report)');
}

const e2eConfig = path.join(root, 'playwright.config.ts');
if (existsSync(e2eConfig)) {
  const e2eReport = path.join(tmp, 'e2e-report.json');
  rmSync(e2eReport, { force: true });
  const ok = run('end-to-end', bin('playwright'), ['test', '--reporter=list,json'], { env: { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport } });
  if (existsSync(e2eReport)) {
    const stats = JSON.parse(readFileSync(e2eReport, 'utf8')).stats;
    totals.passed += stats.expected + (stats.flaky ?? 0);
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
    if (stats.unexpected) failures.push('end-to-end');
  } else if (!ok) {
    totals.failed++;
    failures.push('end-to-end (no report)');
  }
}

if (failures.length) console.log(`\nFailed suites: ${failures.join(', ')}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed ? 1 : 0;
