// `npm start`: builds the renderer, the Electron main process and the preload, then starts the app.
//   node scripts/start.mjs [--config FILE]   build, then run Electron (arguments go to the app)
//   node scripts/start.mjs --build-only      build only (the end-to-end tests use this)
// The Electron binary is looked up where the electron package keeps it (path.txt + dist/). It is not
// loaded with require('electron'): that would start a download when the binary is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const electronPackage = path.join(root, 'node_modules', 'electron');

/** The Electron executable, or null when it is not installed. */
function electronBinary() {
  const pathFile = path.join(electronPackage, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return path.join(override, relative || 'electron');
  if (!relative) return null;
  const executable = path.join(electronPackage, 'dist', relative);
  return existsSync(executable) ? executable : null;
}

function missingBinaryMessage() {
  return [
    'npm start: the Electron binary is not installed (node_modules/electron has no dist/: its download was skipped or blocked).',
    '',
    'Electron downloads it from GitHub releases (https://github.com/electron/electron/releases). With access to github.com, install it with:',
    '  npx install-electron',
    'or:',
    '  node node_modules/electron/install.js',
    '',
    'Meanwhile the same core runs headless, with the dashboard and /metrics in your browser:',
    '  npx footprint serve',
  ].join('\n');
}

function build() {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const steps = [
    ['renderer', ['build']],
    ['main process', ['build', '--mode', 'main']],
    ['preload', ['build', '--mode', 'preload']],
  ];
  for (const [title, args] of steps) {
    console.log(`Building the ${title}…`);
    const result = spawnSync(process.execPath, [vite, ...args], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`npm start: building the ${title} failed (vite ${args.join(' ')}).`);
      process.exit(result.status ?? 1);
    }
  }
}

const args = process.argv.slice(2);
if (args.includes('--build-only')) {
  build();
  process.exit(0);
}
const electron = electronBinary();
if (electron === null) {
  console.error(missingBinaryMessage());
  process.exit(1);
}
build();
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE; // set, it would make Electron behave as plain Node
const child = spawn(electron, ['.', ...args], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
