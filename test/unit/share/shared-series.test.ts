import { describe, expect, it } from 'vitest';
import { isSharePath, parseSharePath, publicKey } from '../../../electron/core/share/shared-series.js';

describe('parseSharePath', () => {
  it.each([
    ['/badge/github/acme/widget/stars.svg', 'github_repo_stars', { user: 'acme', repo: 'widget' }, ''],
    ['/badge/github/acme/stars.svg', 'github_owner_stars', { user: 'acme' }, ''],
    ['/chart/dockerhub/acme/api/pulls.svg', 'docker_hub_image_pulls_total', { namespace: 'acme', image: 'api' }, ''],
    ['/badge/npm/left-pad/downloads.svg', 'npm_package_downloads', { package: 'left-pad', period: 'last_month' }, '/month'],
    ['/badge/npm/@acme/kit/downloads.svg', 'npm_package_downloads', { package: '@acme/kit', period: 'last_month' }, '/month'],
    ['/badge/pypi/requests/downloads.svg', 'pypi_package_downloads', { package: 'requests', period: 'last_month' }, '/month'],
    ['/badge/crates/serde/downloads.svg', 'crates_downloads_total', { crate: 'serde' }, ''],
    ['/badge/http/homebrew/homebrew_installs_30d.svg', 'homebrew_installs_30d', { endpoint: 'homebrew' }, ''],
  ])('%s names %s', (path, metric, labels, unit) => {
    const series = parseSharePath(path, null);
    expect(series).toMatchObject({ metric, labels, unit });
    expect(series.kind).toBe(path.startsWith('/badge/') ? 'badge' : 'chart');
  });

  it("labels a JSON API entry's badge with its metric's name", () => {
    expect(parseSharePath('/chart/http/hf/hf_model_downloads.svg', null)).toMatchObject({ kind: 'chart', label: 'hf model downloads', key: 'http/hf/hf_model_downloads' });
  });

  it('takes ?period= for npm and PyPI', () => {
    expect(parseSharePath('/badge/npm/left-pad/downloads.svg', 'last_week')).toMatchObject({ labels: { package: 'left-pad', period: 'last_week' }, unit: '/week' });
    expect(() => parseSharePath('/badge/npm/left-pad/downloads.svg', 'forever')).toThrow('period "forever" is not one of last_day, last_week, last_month');
  });

  it.each([
    ['/badge/github/../etc/stars.svg', '".." is not a name'],
    ['/badge/github/acme/./stars.svg', '"." is not a name'],
    ['/badge/github/ac me/stars.svg', '"ac me" is not a name'],
    [`/badge/github/${'a'.repeat(101)}/stars.svg`, 'is not a name: use letters, digits'],
    ['/badge/github/a/b/c/d/e/stars.svg', 'is not a badge or chart path'],
    ['/badge/gitlab/acme/stars.svg', '"gitlab" is not a source with badges'],
    ['/badge/github/acme/widget/forks.svg', 'is not a github badge or chart path'],
    ['/badge/npm/@acme/downloads.svg', 'is not a npm badge or chart path'],
    ['/badge/github/acme/stars.png', 'is not a badge or chart path'],
    ['/badge/http/homebrew/installs-30d.svg', 'is not a http badge or chart path'],
    ['/badge/http/installs.svg', 'is not a http badge or chart path'],
  ])('refuses %s', (path, message) => {
    expect(() => parseSharePath(path, null)).toThrow(message);
  });

  it('knows its paths and the server.public form of a key', () => {
    expect(isSharePath('/badge/x')).toBe(true);
    expect(isSharePath('/chart/x')).toBe(true);
    expect(isSharePath('/badges')).toBe(false);
    expect(publicKey('/badge/GitHub/Acme/stars.svg')).toBe('github/acme/stars');
  });
});
