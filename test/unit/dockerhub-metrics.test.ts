import { describe, expect, it } from 'vitest';
import { AutomatedFlags } from '../../electron/core/sources/dockerhub/automated-flags.js';
import { dockerhubMetrics, imageSamples } from '../../electron/core/sources/dockerhub/metrics.js';

describe('Docker Hub metrics', () => {
  it('keeps the docker-hub-exporter names, labels image/user plus namespace', () => {
    expect(dockerhubMetrics.map((metric) => [metric.name, metric.type, metric.labels])).toEqual([
      ['docker_hub_image_pulls_total', 'counter', ['image', 'user', 'namespace']],
      ['docker_hub_image_stars', 'gauge', ['image', 'user', 'namespace']],
      ['docker_hub_image_is_automated', 'gauge', ['image', 'user', 'namespace']],
      ['docker_hub_image_last_updated', 'gauge', ['image', 'user', 'namespace']],
    ]);
    for (const metric of dockerhubMetrics) expect(metric.help).toMatch(/\.$/);
  });

  it('maps a repository to its four series, last_updated in epoch seconds', () => {
    const labels = { image: 'widget', user: 'acmecorp', namespace: 'acmecorp' };
    expect(imageSamples({ namespace: 'acmecorp', name: 'widget', pullCount: 1843207, starCount: 57, isAutomated: true, lastUpdated: Date.parse('2025-05-20T10:15:42.913Z') })).toEqual([
      { metric: 'docker_hub_image_pulls_total', labels, value: 1843207 },
      { metric: 'docker_hub_image_stars', labels, value: 57 },
      { metric: 'docker_hub_image_is_automated', labels, value: 1 },
      { metric: 'docker_hub_image_last_updated', labels, value: 1747736142 },
    ]);
  });

  it('leaves out what Docker Hub did not say instead of guessing', () => {
    const metrics = (isAutomated: boolean | undefined, lastUpdated: number | null | undefined) =>
      imageSamples({ namespace: 'n', name: 'i', pullCount: 1, starCount: 0, isAutomated, lastUpdated }).map((sample) => `${sample.metric}=${sample.value}`);
    expect(metrics(undefined, null)).toEqual(['docker_hub_image_pulls_total=1', 'docker_hub_image_stars=0']);
    expect(metrics(false, undefined)).toEqual(['docker_hub_image_pulls_total=1', 'docker_hub_image_stars=0', 'docker_hub_image_is_automated=0']);
  });
});

describe('is_automated flags kept between runs', () => {
  it('trusts a flag for its TTL, then forgets it; drops repositories no longer collected', () => {
    const flags = new AutomatedFlags(1_000);
    flags.set('a/x', true, 10_000);
    flags.set('a/y', false, 10_000);
    expect(flags.get('a/x', 10_999)).toBe(true);
    expect(flags.get('a/y', 10_500)).toBe(false);
    expect(flags.get('a/x', 11_000)).toBeUndefined();
    flags.retain(new Set(['a/y']));
    expect(flags.get('a/x', 10_001)).toBeUndefined();
    expect(flags.get('a/y', 10_001)).toBe(false);
  });
});
