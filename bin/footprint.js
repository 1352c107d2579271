#!/usr/bin/env node
// Entry point of the `footprint` command. Footprint needs Node.js 24 (node:sqlite, type stripping).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`Footprint needs Node.js 24 or newer; this is Node.js ${process.versions.node}.\n` +
    'Install Node.js 24 LTS (https://nodejs.org, or your version manager: "nvm install 24"),\n' +
    'or without admin rights: "npm install --prefix ~/.node24 node@24" and run ~/.node24/node_modules/.bin/node bin/footprint.js.');
  process.exit(1);
}
// Resolves the sources' `./x.js` imports to `./x.ts` and strips their types (cached between starts).
await import('../scripts/ts-hooks.mjs');
const { main } = await import('../electron/core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
