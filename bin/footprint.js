#!/usr/bin/env node
// Entry point of the `footprint` command. Footprint needs Node.js 24.15 or newer (package.json
// "engines" says the same): node:sqlite is stable from 24.15 (before, every command prints an
// ExperimentalWarning on stderr, and on 24.0 storing values fails: "column index out of range"),
// and Node strips the TypeScript types without a flag.
const REQUIRED = [24, 15];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < REQUIRED[0] || (major === REQUIRED[0] && minor < REQUIRED[1])) {
  console.error(`Footprint needs Node.js ${REQUIRED.join('.')} or newer; this is Node.js ${process.versions.node}.\n` +
    `Install the current Node.js ${REQUIRED[0]} LTS (https://nodejs.org, or your version manager: "nvm install ${REQUIRED[0]}"),\n` +
    `or without admin rights: "npm install --prefix ~/.node${REQUIRED[0]} node@${REQUIRED[0]}" and run ~/.node${REQUIRED[0]}/node_modules/.bin/node bin/footprint.js.`);
  process.exit(1);
}
// `serve` runs all day. Under a burst of requests V8 grows its young generation up to 2 × 64 MB and
// keeps it; 4 MB semi-spaces hold the server's RSS after a burst near its RSS before, at no cost the
// benches see (bench/memory.bench.ts, bench/api-abuse.bench.ts). V8 reads the size only at start, so
// serve starts Node again with it, in the same process (same PID, nothing started twice), where
// Node can (process.execve: not on Windows). A size given by the user (NODE_OPTIONS, a flag) wins.
const SEMI_SPACE_FLAG = '--max-semi-space-size';
if (process.argv[2] === 'serve' && typeof process.execve === 'function'
  && ![...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((option) => option.includes(SEMI_SPACE_FLAG))) {
  const { fileURLToPath } = await import('node:url');
  process.execve(process.execPath, [process.execPath, `${SEMI_SPACE_FLAG}=4`, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], process.env);
}
// Resolves the sources' `./x.js` imports to `./x.ts` and strips their types (cached between starts).
await import('../scripts/ts-hooks.mjs');
const { main } = await import('../electron/core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
