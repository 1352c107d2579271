// Writes the icon files under build/icons from the drawing code in electron/shell/tray/icons/tray-icons.ts:
//   node --import ./scripts/ts-register.mjs build/generate-icons.ts
// (test/unit/shell/tray/tray-icons.test.ts fails when the committed files no longer match the code.)
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { iconFiles } from '../electron/shell/tray/icons/tray-icons.js';

const iconsDir = path.join(import.meta.dirname, 'icons');
for (const { file, png } of iconFiles()) {
  const target = path.join(iconsDir, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, png);
  console.log(`${path.relative(process.cwd(), target)} (${png.length} bytes)`);
}
