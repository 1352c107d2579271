// The `footprint` command with the test sources registered beside the real ones: what the backfill
// CLI and kill -9 tests run as a child process, as a user runs bin/footprint.js.
// Usage: node --import scripts/ts-register.mjs backfill-cli.ts backfill --config FILE …
import { main } from '../../../electron/core/cli/main.js';
import { sourceModules } from '../../../electron/core/sources/registry.js';
import { historySourceModule, plainSourceModule } from '../../support/history-source.js';

process.exitCode = await main(process.argv.slice(2), { modules: [...sourceModules, historySourceModule(), plainSourceModule] });
