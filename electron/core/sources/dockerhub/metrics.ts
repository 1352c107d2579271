// Metric catalogue and sample mapping. Names follow the public docker-hub-exporter so its Grafana
// dashboards keep working: `image` is the repository name and `user` its namespace (the exporter's
// labels); `namespace` repeats the namespace under its current name.
import type { Labels, MetricDef, Sample } from '../../../../shared/metrics.js';
import type { RepositoryRecord } from './shapes.js';

const IMAGE_LABELS = ['image', 'user', 'namespace'] as const;

export const dockerhubMetrics: readonly MetricDef[] = [
  { name: 'docker_hub_image_pulls_total', help: 'Pulls of the image since it was created, as Docker Hub counts them.', type: 'counter', labels: IMAGE_LABELS },
  { name: 'docker_hub_image_stars', help: 'Stars of the image on Docker Hub.', type: 'gauge', labels: IMAGE_LABELS },
  { name: 'docker_hub_image_is_automated', help: '1 when Docker Hub builds the image automatically from a source repository, else 0.', type: 'gauge', labels: IMAGE_LABELS },
  { name: 'docker_hub_image_last_updated', help: 'When the image was last pushed, in epoch seconds (absent for an image never pushed).', type: 'gauge', labels: IMAGE_LABELS },
];

export function imageLabels(record: Pick<RepositoryRecord, 'namespace' | 'name'>): Labels {
  return { image: record.name, user: record.namespace, namespace: record.namespace };
}

export function imageSamples(record: RepositoryRecord): Sample[] {
  const labels = imageLabels(record);
  const samples: Sample[] = [
    { metric: 'docker_hub_image_pulls_total', labels, value: record.pullCount },
    { metric: 'docker_hub_image_stars', labels, value: record.starCount },
  ];
  // A value Docker Hub did not give is left out rather than guessed.
  if (record.isAutomated !== undefined) samples.push({ metric: 'docker_hub_image_is_automated', labels, value: record.isAutomated ? 1 : 0 });
  if (typeof record.lastUpdated === 'number') samples.push({ metric: 'docker_hub_image_last_updated', labels, value: Math.floor(record.lastUpdated / 1000) });
  return samples;
}
