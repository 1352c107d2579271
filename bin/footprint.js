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
const { register } = await import('node:module');
register('../scripts/ts-hooks.mjs', import.meta.url);
const { main } = await import('../electron/core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
