// The `backfill:` section of the configuration: its defaults, its bounds, and how check-config shows it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ConfigError, formatEffectiveConfig, parseConfig, type LoadedConfig } from '../../electron/core/config/config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'footprint-backfill-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function parse(text: string): LoadedConfig {
  return parseConfig(text, { file: path.join(dir, 'footprint.yaml'), env: {}, modules: [], dataDir: dir });
}

function problems(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('backfill configuration', () => {
  it('is on by default, with half of the budget left and a new plan daily, and check-config shows it only when changed', () => {
    const loaded = parse('');
    expect(loaded.config.backfill).toEqual({ enabled: true, budgetShare: 0.5, replanIntervalMs: 86_400_000 });
    expect(YAML.parse(formatEffectiveConfig(loaded)).backfill).toBeUndefined();

    const changed = parse('backfill: { enabled: false, budgetShare: 0.25, replanInterval: 6h }\n');
    expect(changed.config.backfill).toEqual({ enabled: false, budgetShare: 0.25, replanIntervalMs: 6 * 3_600_000 });
    const printed = formatEffectiveConfig(changed);
    expect(YAML.parse(printed).backfill).toEqual({ enabled: false, budgetShare: 0.25, replanInterval: '6h' });
    expect(parse(YAML.stringify({ backfill: YAML.parse(printed).backfill })).config.backfill).toEqual(changed.config.backfill);
    expect(parse('backfill:\n').config.backfill.budgetShare).toBe(0.5);
  });

  it('refuses a share outside (0, 1], a replan interval under an hour and unknown keys, naming the key and the fix', () => {
    for (const share of ['0', '1.5', '-0.5']) {
      expect(problems(`backfill: { budgetShare: ${share} }\n`)).toEqual(['backfill.budgetShare: use a share above 0 and at most 1, e.g. 0.5 for half of the budget left']);
    }
    expect(problems('backfill: { budgetShare: half }\n')[0]).toMatch(/^backfill\.budgetShare: /);
    expect(problems('backfill: { replanInterval: 10m }\n')).toEqual(['backfill.replanInterval: 10m is too short: use at least 1h']);
    expect(problems('backfill: { enabled: yes please }\n')[0]).toMatch(/^backfill\.enabled: /);
    expect(problems('backfill: { budgetshare: 0.5 }\n')[0]).toMatch(/^backfill\.budgetshare: unknown key.*budgetShare/);
  });
});
