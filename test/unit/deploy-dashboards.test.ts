// The Grafana dashboards in deploy/grafana/dashboards: importable and provisionable as they are, every
// panel wired to the $datasource variable, every variable they use defined, every metric and label they
// read one that Footprint (or a shipped recording rule) produces. test/integration/deploy-kit.test.ts
// then runs every expression against a real Prometheus.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { repoRoot } from '../support/footprint-process.js';
import {
  dashboardPanels,
  dashboardQueries,
  footprintSeries,
  parseLabelValues,
  promqlSelectors,
  readRuleFiles,
  referencedVariables,
  variableQuery,
  type GrafanaDashboard,
  type GrafanaPanel,
} from '../support/prometheus.js';

const deployDir = path.join(repoRoot, 'deploy');
const dashboardDir = path.join(deployDir, 'grafana', 'dashboards');
const dashboardFiles = readdirSync(dashboardDir).filter((name) => name.endsWith('.json')).sort();
const dashboards = dashboardFiles.map((name) => ({ name, dashboard: JSON.parse(readFileSync(path.join(dashboardDir, name), 'utf8')) as GrafanaDashboard }));
const recordingRules = readRuleFiles([path.join(deployDir, 'prometheus', 'footprint-recording.rules.yml')]);
const recorded = new Set(recordingRules.map((rule) => rule.name));

/** Grafana's own variables, which every dashboard may use. */
const BUILTIN_VARIABLES = new Set(['__rate_interval', '__interval', '__interval_ms', '__range', '__range_s', '__range_ms']);
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function variablesOf(dashboard: GrafanaDashboard) {
  return dashboard.templating?.list ?? [];
}

function byUid(uid: string): GrafanaDashboard {
  const found = dashboards.find((entry) => entry.dashboard.uid === uid);
  if (!found) throw new Error(`no dashboard with uid ${uid} in ${dashboardDir}`);
  return found.dashboard;
}

function exprsOf(uid: string): string {
  return dashboardQueries(byUid(uid)).map((query) => query.expr).join('\n');
}

describe('Grafana dashboards: structure', () => {
  it('ships the overview, GitHub, GitHub traffic, Docker Hub, website, npm, packages and health dashboards, each in a file named after its uid', () => {
    expect(dashboards.map((entry) => entry.dashboard.uid).sort()).toEqual(
      ['footprint-dockerhub', 'footprint-github', 'footprint-health', 'footprint-npm', 'footprint-overview', 'footprint-packages', 'footprint-traffic', 'footprint-website'],
    );
    for (const { name, dashboard } of dashboards) expect(name).toBe(`${dashboard.uid}.json`);
  });

  it('have unique, stable uids and titles, a recent schemaVersion, and no import-only __inputs', () => {
    const uids = dashboards.map((entry) => entry.dashboard.uid);
    const titles = dashboards.map((entry) => entry.dashboard.title);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(titles).size).toBe(titles.length);
    for (const { name, dashboard } of dashboards) {
      expect(dashboard.uid, name).toMatch(/^[a-z0-9][a-z0-9-]{0,39}$/); // Grafana allows 40 characters
      expect(dashboard.title, name).toMatch(/^Footprint · \S/);
      expect(dashboard.schemaVersion, name).toBeGreaterThanOrEqual(39);
      // Provisioning wants no numeric id and no __inputs (those exist only in "export for sharing" files).
      expect(dashboard.id ?? null, name).toBeNull();
      expect(dashboard, name).not.toHaveProperty('__inputs');
      expect(dashboard, name).not.toHaveProperty('__requires');
      expect(dashboard.tags, name).toContain('footprint');
    }
  });

  it('have a $datasource variable of type datasource for Prometheus, first', () => {
    for (const { name, dashboard } of dashboards) {
      const [first] = variablesOf(dashboard);
      expect(first, name).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    }
  });

  it('give every panel a unique id and a gridPos inside the 24-column grid, without overlaps', () => {
    for (const { name, dashboard } of dashboards) {
      const panels = dashboardPanels(dashboard);
      expect(panels.length, name).toBeGreaterThan(3);
      const ids = panels.map((panel) => panel.id);
      for (const id of ids) expect(Number.isInteger(id), `${name}: panel id ${id}`).toBe(true);
      expect(new Set(ids).size, `${name}: panel ids`).toBe(ids.length);
      const boxes = panels.map((panel) => {
        const { h, w, x, y } = panel.gridPos ?? {};
        for (const value of [h, w, x, y]) expect(Number.isInteger(value), `${name}: "${panel.title}" gridPos ${JSON.stringify(panel.gridPos)}`).toBe(true);
        expect(w! >= 1 && x! >= 0 && x! + w! <= 24 && h! >= 1 && y! >= 0, `${name}: "${panel.title}" gridPos ${JSON.stringify(panel.gridPos)}`).toBe(true);
        return { title: panel.title, x: x!, y: y!, w: w!, h: h! };
      });
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${name}: "${a.title}" overlaps "${b.title}"`).toBe(false);
        }
      }
    }
  });

  it('point every panel and every target at ${datasource}, with a title and a PromQL expression', () => {
    for (const { name, dashboard } of dashboards) {
      for (const panel of dashboardPanels(dashboard).filter((p: GrafanaPanel) => p.type !== 'row')) {
        const where = `${name}: "${panel.title}"`;
        expect(panel.title, where).toMatch(/\S/);
        expect(panel.datasource, where).toEqual(DATASOURCE);
        expect(panel.targets?.length, `${where} has no targets`).toBeGreaterThan(0);
        const refIds = panel.targets!.map((target) => target.refId);
        expect(new Set(refIds).size, `${where}: refIds`).toBe(refIds.length);
        for (const target of panel.targets!) {
          expect(target.datasource, `${where} ${target.refId}`).toEqual(DATASOURCE);
          expect(target.expr, `${where} ${target.refId}`).toMatch(/\S/);
        }
      }
    }
  });

  it('define every variable they use, each query variable on ${datasource} and using only variables defined before it', () => {
    for (const { name, dashboard } of dashboards) {
      const defined = new Set<string>(BUILTIN_VARIABLES);
      for (const variable of variablesOf(dashboard)) {
        if (variable.type === 'query') {
          const query = variableQuery(variable);
          expect(variable.datasource, `${name}: $${variable.name}`).toEqual(DATASOURCE);
          expect(variable.definition, `${name}: $${variable.name} definition`).toBe(query);
          expect(() => parseLabelValues(query), `${name}: $${variable.name}`).not.toThrow();
          for (const used of referencedVariables(query)) expect(defined.has(used), `${name}: $${variable.name} uses $${used} before it is defined`).toBe(true);
        }
        defined.add(String(variable.name));
      }
      const texts = dashboardPanels(dashboard).flatMap((panel) => [String(panel.title ?? ''), ...(panel.targets ?? []).map((target) => target.expr ?? '')]);
      for (const text of texts) for (const used of referencedVariables(text)) expect(defined.has(used), `${name}: $${used} in ${text}`).toBe(true);
    }
  });

  it('have the selection variables of their source: $user and $repo (chained) on GitHub, $namespace on Docker Hub, $property on the website', () => {
    const names = (uid: string) => variablesOf(byUid(uid)).map((variable) => variable.name);
    expect(names('footprint-github')).toEqual(['datasource', 'user', 'repo']);
    expect(variableQuery(variablesOf(byUid('footprint-github'))[2]!)).toBe('label_values(github_repo_stars{user=~"$user"}, repo)');
    expect(names('footprint-traffic')).toEqual(['datasource', 'user', 'repo']);
    expect(variableQuery(variablesOf(byUid('footprint-traffic'))[2]!)).toBe('label_values(github_repo_traffic_views{user=~"$user"}, repo)');
    expect(names('footprint-dockerhub')).toEqual(expect.arrayContaining(['datasource', 'namespace']));
    expect(names('footprint-website')).toEqual(['datasource', 'property']);
  });
});

describe('Grafana dashboards: what they query', () => {
  const series = footprintSeries();

  it('read only metrics Footprint exposes or the shipped recording rules produce, with labels those metrics have', () => {
    for (const { name, dashboard } of dashboards) {
      const queries = [
        ...dashboardQueries(dashboard).map((query) => ({ where: `${name}: "${query.panel}" ${query.refId}`, expr: query.expr })),
        ...variablesOf(dashboard).filter((variable) => variable.type === 'query').map((variable) => ({ where: `${name}: $${variable.name}`, expr: parseLabelValues(variableQuery(variable)).match ?? '' })),
      ];
      for (const { where, expr } of queries) {
        for (const selector of promqlSelectors(expr)) {
          const labels = series.get(selector.metric);
          expect(labels !== undefined || recorded.has(selector.metric), `${where}: unknown metric ${selector.metric} in ${expr}`).toBe(true);
          for (const label of selector.labels) if (labels) expect(labels.has(label), `${where}: ${selector.metric} has no label "${label}"`).toBe(true);
        }
      }
    }
  });

  it('GitHub: stars, forks, watchers, open issues and PRs per repo, owner totals, top 10, stars per day from the recording rule, release downloads', () => {
    const exprs = exprsOf('footprint-github');
    for (const metric of ['github_repo_stars', 'github_repo_forks', 'github_repo_watchers', 'github_repo_open_issues', 'github_repo_pull_request_count', 'github_owner_repositories']) expect(exprs).toContain(metric);
    expect(exprs).toContain('topk(10, github_repo_stars');
    expect(exprs).toContain('footprint:github_repo_stars:delta1d');
    expect(exprs).toMatch(/user:github_repo_stars:sum/);
    expect(exprs).toContain('github_repo_release_downloads');
  });

  it('GitHub: the activity figures per repository and, through the recording rules, per owner', () => {
    const exprs = exprsOf('footprint-github');
    for (const metric of ['github_repo_commits', 'github_repo_last_commit_timestamp_seconds', 'github_repo_closed_issues', 'github_repo_merged_pull_requests', 'github_repo_releases', 'github_repo_contributors']) {
      expect(exprs).toMatch(new RegExp(`by \\(user, repo\\) \\(${metric}\\{`));
    }
    for (const rule of ['user:github_repo_commits:sum', 'user:github_repo_closed_issues:sum', 'user:github_repo_merged_pull_requests:sum', 'user:github_repo_releases:sum', 'user:github_repo_last_commit_timestamp_seconds:max']) {
      expect(exprs).toContain(rule);
    }
  });

  it('GitHub traffic: the 14-day totals, the stored days (after loading footprint export), referrers and paths, per owner through the rules', () => {
    const exprs = exprsOf('footprint-traffic');
    for (const metric of ['github_repo_traffic_views', 'github_repo_traffic_views_unique', 'github_repo_traffic_clones', 'github_repo_traffic_clones_unique']) {
      expect(exprs).toContain(`sum(${metric}{user=~"$user", repo=~"$repo"})`);
    }
    for (const metric of ['github_repo_traffic_views_daily', 'github_repo_traffic_views_unique_daily', 'github_repo_traffic_clones_daily', 'github_repo_traffic_clones_unique_daily']) {
      expect(exprs).toContain(`sum by (user, repo) (${metric}{`);
    }
    expect(exprs).toContain('sum by (user, repo, referrer) (github_repo_traffic_referrer_views{');
    expect(exprs).toContain('sum by (user, repo, path) (github_repo_traffic_path_views{');
    for (const rule of ['user:github_repo_traffic_views:sum', 'user_referrer:github_repo_traffic_referrer_views:sum', 'user:github_repo_traffic_views_daily:sum']) expect(exprs).toContain(rule);
  });

  it('Packages: npm, PyPI and crates.io downloads, each filtered by its own variable', () => {
    const exprs = exprsOf('footprint-packages');
    for (const period of ['last_day', 'last_week', 'last_month']) {
      expect(exprs).toContain(`sum(npm_package_downloads{package=~"$package", period="${period}"})`);
      expect(exprs).toContain(`sum(pypi_package_downloads{package=~"$pypi_package", period="${period}"})`);
    }
    for (const metric of ['crates_downloads_total', 'crates_recent_downloads']) expect(exprs).toContain(`sum(${metric}{crate=~"$crate"})`);
    expect(exprs).toContain('sum by (crate) (crates_downloads_daily{crate=~"$crate"})');
    expect(variablesOf(byUid('footprint-packages')).map((variable) => variable.name)).toEqual(['datasource', 'package', 'pypi_package', 'crate']);
  });

  it('Docker Hub: pulls per image and per day (recording rule), stars, last updated', () => {
    const exprs = exprsOf('footprint-dockerhub');
    for (const needle of ['docker_hub_image_pulls_total', 'footprint:docker_hub_image_pulls:increase1d', 'docker_hub_image_stars', 'docker_hub_image_last_updated']) expect(exprs).toContain(needle);
  });

  it('Website: users, sessions and page views for today, yesterday and 28 days, realtime users, top pages', () => {
    const exprs = exprsOf('footprint-website');
    for (const metric of ['ga4_active_users', 'ga4_sessions', 'ga4_page_views']) {
      for (const period of ['today', 'yesterday', 'last_28_days']) expect(exprs).toContain(`${metric}{property=~"$property", period="${period}"}`);
    }
    expect(exprs).toContain('ga4_realtime_active_users');
    expect(exprs).toContain('topk(10, ga4_page_views_by_page');
  });

  it('Health: sources up, last success age, API budget, collection duration quantiles, API requests by status, errors', () => {
    const exprs = exprsOf('footprint-health');
    expect(exprs).toContain('footprint_source_up');
    expect(exprs).toContain('time() - footprint_source_last_success_timestamp_seconds');
    expect(exprs).toContain('github_rate_remaining');
    expect(exprs).toMatch(/histogram_quantile\(0\.95, sum by \(source, le\) \(rate\(footprint_source_collection_duration_seconds_bucket/);
    expect(exprs).toMatch(/sum by \(source, status\) \(increase\(footprint_api_requests_total/);
    expect(exprs).toContain('footprint_source_errors_total');
  });

  it('use every recording rule of the GitHub and Docker Hub groups somewhere', () => {
    const all = dashboards.map(({ dashboard }) => dashboardQueries(dashboard).map((query) => query.expr).join('\n')).join('\n');
    for (const rule of recordingRules) expect(all, `recording rule ${rule.name} is not on any dashboard`).toContain(rule.name);
  });
});

describe('Grafana provisioning', () => {
  const provisioning = path.join(deployDir, 'grafana', 'provisioning');
  const compose = YAML.parse(readFileSync(path.join(deployDir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { volumes?: unknown[] }> };
  const grafanaMounts = (compose.services.grafana?.volumes ?? []).filter((volume): volume is string => typeof volume === 'string');

  it('provides a Prometheus data source the dashboards can pick through $datasource', () => {
    const file = YAML.parse(readFileSync(path.join(provisioning, 'datasources', 'footprint-prometheus.yml'), 'utf8')) as { apiVersion: number; datasources: Record<string, unknown>[] };
    expect(file.apiVersion).toBe(1);
    expect(file.datasources).toEqual([expect.objectContaining({ type: 'prometheus', uid: 'prometheus', url: 'http://prometheus:9090', isDefault: true })]);
  });

  it('loads the dashboards from the folder docker-compose.yml mounts them at', () => {
    const file = YAML.parse(readFileSync(path.join(provisioning, 'dashboards', 'footprint.yml'), 'utf8')) as { apiVersion: number; providers: { type: string; options: { path: string } }[] };
    expect(file.apiVersion).toBe(1);
    const [provider] = file.providers;
    expect(provider?.type).toBe('file');
    expect(grafanaMounts).toContain(`./grafana/dashboards:${provider!.options.path}:ro`);
    expect(grafanaMounts).toContain('./grafana/provisioning:/etc/grafana/provisioning:ro');
  });
});
