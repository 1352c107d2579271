// deploy/prometheus: the scrape configuration and the recording and alert rules, by structure (promtool
// and a real Prometheus check them in test/integration/deploy-kit.test.ts), plus the public dashboards'
// queries recorded in test/fixtures/public-dashboard-queries.json.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { repoRoot } from '../support/footprint-process.js';
import { footprintSeries, promqlSelectors, readRuleFiles, uncommentYamlBlock } from '../support/prometheus.js';

const prometheusDir = path.join(repoRoot, 'deploy', 'prometheus');
const configText = readFileSync(path.join(prometheusDir, 'prometheus.yml'), 'utf8');

interface ScrapeConfig {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  scrape_configs: { job_name: string; scrape_interval?: string; static_configs: { targets: string[] }[]; authorization?: { type: string; credentials_file: string } }[];
}

const config = YAML.parse(configText) as ScrapeConfig;
const ruleFiles = config.rule_files.map((file) => path.resolve(prometheusDir, file));
const rules = readRuleFiles(ruleFiles);
const recordings = rules.filter((rule) => rule.kind === 'record');
const alerts = rules.filter((rule) => rule.kind === 'alert');
const series = footprintSeries();

describe('deploy/prometheus/prometheus.yml', () => {
  it('scrapes the job "footprint" at footprint:9171 once a minute and loads both rule files', () => {
    expect(config.scrape_configs.map((job) => job.job_name)).toEqual(['footprint']);
    const [job] = config.scrape_configs;
    expect(job?.static_configs).toEqual([{ targets: ['footprint:9171'] }]);
    expect(job?.scrape_interval).toBe('60s');
    expect(job?.authorization).toBeUndefined(); // /metrics is open unless server.metricsAuth
    expect(config.rule_files).toEqual(['footprint-recording.rules.yml', 'footprint-alerts.rules.yml']);
    for (const file of ruleFiles) expect(existsSync(file), file).toBe(true);
  });

  it('documents the metricsAuth variant as a block that becomes a bearer credentials_file when uncommented', () => {
    const variant = YAML.parse(uncommentYamlBlock(configText, 'authorization')) as ScrapeConfig;
    expect(variant.scrape_configs[0]?.authorization).toEqual({ type: 'Bearer', credentials_file: '/etc/prometheus/secrets/footprint-token' });
    // Everything else stays as it was.
    expect({ ...variant.scrape_configs[0], authorization: undefined }).toEqual({ ...config.scrape_configs[0], authorization: undefined });
    expect(configText).toMatch(/server\.metricsAuth: true/);
  });
});

describe('recording rules', () => {
  it('have unique names of the form level:metric:operation, and read only metrics Footprint exposes or earlier rules record', () => {
    const names = recordings.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    const recordedSoFar = new Set<string>();
    for (const rule of recordings) {
      expect(rule.name).toMatch(/^[a-z_]+:[a-z_]+:[a-z0-9_]+$/);
      for (const selector of promqlSelectors(rule.expr)) {
        const labels = series.get(selector.metric);
        // A rule reads another rule's series only after it in the same group, so one evaluation sees the fresh value.
        expect(labels !== undefined || recordedSoFar.has(selector.metric), `${rule.name}: ${selector.metric}`).toBe(true);
        for (const label of selector.labels) if (labels) expect(labels.has(label), `${rule.name}: ${selector.metric} has no label ${label}`).toBe(true);
      }
      recordedSoFar.add(rule.name);
    }
  });

  it('compute daily gains of gauges with delta() and of the pull counter with increase(), and the per-owner and per-namespace sums', () => {
    const byName = Object.fromEntries(recordings.map((rule) => [rule.name, rule.expr]));
    expect(byName['footprint:github_repo_stars:delta1d']).toBe('delta(github_repo_stars[1d])');
    expect(byName['footprint:docker_hub_image_pulls:increase1d']).toBe('increase(docker_hub_image_pulls_total[1d])');
    expect(byName['user:github_repo_stars:sum']).toBe('sum by (user) (github_repo_stars)');
    expect(byName['namespace:docker_hub_image_pulls:increase1d']).toBe('sum by (namespace) (footprint:docker_hub_image_pulls:increase1d)');
    expect(byName['user:github_repo_commits:sum']).toBe('sum by (user) (github_repo_commits)');
    expect(byName['user:github_repo_merged_pull_requests:sum']).toBe('sum by (user) (github_repo_merged_pull_requests)');
    expect(byName['user:github_repo_last_commit_timestamp_seconds:max']).toBe('max by (user) (github_repo_last_commit_timestamp_seconds)');
    // A person contributing to two repositories would count twice: contributors have no owner sum.
    expect(Object.keys(byName).filter((name) => name.includes('contributors'))).toEqual([]);
    // Stars and downloads are gauges: increase() would count a drop as a reset (a gain).
    for (const rule of recordings) if (/github_/.test(rule.expr)) expect(rule.expr, rule.name).not.toMatch(/\bincrease\(|\brate\(/);
  });
});

describe('alert rules', () => {
  it('are FootprintDown, FootprintSourceDown (1 h), the GitHub budget, the GA4 quota and a star drop', () => {
    expect(alerts.map((alert) => alert.name).sort()).toEqual(['FootprintDown', 'FootprintGA4QuotaLow', 'FootprintGitHubBudgetLow', 'FootprintGitHubStarDrop', 'FootprintSourceDown']);
    expect(alerts.find((alert) => alert.name === 'FootprintSourceDown')).toMatchObject({ expr: 'footprint_source_up == 0', for: '1h' });
    expect(alerts.find((alert) => alert.name === 'FootprintGitHubBudgetLow')?.expr).toBe('github_rate_remaining / github_rate_limit < 0.1');
  });

  it('each wait a while (for), carry a severity and a summary and description', () => {
    for (const alert of alerts) {
      expect(alert.for, alert.name).toMatch(/^\d+[smhd]$/);
      expect(['critical', 'warning', 'info'], alert.name).toContain(alert.labels.severity);
      expect(alert.annotations.summary, alert.name).toMatch(/\S/);
      expect(alert.annotations.description?.length, `${alert.name}: a description that says what to do`).toBeGreaterThan(80);
    }
  });

  it('read only metrics Footprint exposes, with their labels, and watch the job prometheus.yml scrapes', () => {
    for (const alert of alerts) {
      for (const selector of promqlSelectors(alert.expr)) {
        const labels = series.get(selector.metric);
        expect(labels, `${alert.name}: ${selector.metric}`).toBeDefined();
        for (const label of selector.labels) expect(labels!.has(label), `${alert.name}: ${selector.metric} has no label ${label}`).toBe(true);
      }
      // Annotations name only labels the alert's series carry.
      const used = [...`${alert.annotations.summary} ${alert.annotations.description}`.matchAll(/\$labels\.(\w+)/g)].map((match) => match[1]!);
      const carried = new Set(promqlSelectors(alert.expr).flatMap((selector) => [...(series.get(selector.metric) ?? [])]));
      for (const label of used) expect(carried.has(label), `${alert.name} annotation uses $labels.${label}`).toBe(true);
    }
    expect(alerts.find((alert) => alert.name === 'FootprintDown')?.expr).toBe(`up{job="${config.scrape_configs[0]!.job_name}"} == 0`);
  });
});

describe('test/fixtures/public-dashboard-queries.json', () => {
  const fixture = JSON.parse(readFileSync(path.join(repoRoot, 'test', 'fixtures', 'public-dashboard-queries.json'), 'utf8')) as {
    dashboards: { name: string; where: string; queries: { panel: string; expr: string; labels: string[] }[] }[];
  };

  it('holds the GitHub Stats (grafana.com 1559) and Docker Hub dashboards\' expressions as the field notes record them', () => {
    const exprs = fixture.dashboards.flatMap((dashboard) => dashboard.queries.map((query) => query.expr));
    expect(exprs).toEqual(expect.arrayContaining([
      'github_repo_stars', 'github_repo_open_issues', 'github_repo_forks', 'topk(5, github_repo_stars)', 'sum(github_repo_stars)',
      'rate(docker_hub_image_pulls_total[1h])', 'docker_hub_image_stars', 'docker_hub_image_pulls_total',
    ]));
  });

  it('names only metrics and labels Footprint exposes under the exporters\' names', () => {
    for (const dashboard of fixture.dashboards) {
      for (const query of dashboard.queries) {
        for (const selector of promqlSelectors(query.expr)) {
          const labels = series.get(selector.metric);
          expect(labels, `${dashboard.name}: ${selector.metric}`).toBeDefined();
          for (const label of query.labels) expect(labels!.has(label), `${dashboard.name} "${query.panel}" shows label ${label}`).toBe(true);
        }
      }
    }
  });
});
