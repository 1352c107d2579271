// How the UI presents Docker Hub: its Settings form and its Overview cards.
import type { SourceUi } from '../../../../shared/source-ui.js';
import { apiUrlField, intervalField } from '../common/ui-fields.js';

export const dockerhubUi: SourceUi = {
  form: {
    pitch: 'Add a Docker Hub namespace or image to follow its pulls and stars.',
    fields: [
      { key: 'namespaces', label: 'Namespaces', kind: 'list', itemNoun: 'namespace', placeholder: 'my-org' },
      { key: 'images', label: 'Images', kind: 'list', itemNoun: 'image', placeholder: 'namespace/name' },
      { key: 'username', label: 'Docker ID', kind: 'text', placeholder: 'my-user', help: 'Optional; needed with a token.' },
      { key: 'token', label: 'Access token', kind: 'secret', variable: 'DOCKERHUB_TOKEN', placeholder: 'dckr_pat_…', help: `Optional: a personal or organization access token.` },
      apiUrlField('https://hub.docker.com', 'Only for a compatible on-premises hub.'),
      intervalField('30m'),
    ],
  },
  overview: {
    groupBy: 'namespace',
    groupNoun: 'namespace',
    metrics: [
      { metric: 'docker_hub_image_pulls_total', title: 'Pulls' },
      { metric: 'docker_hub_image_stars', title: 'Stars' },
    ],
  },
  // Docker Hub's API tells only today's counts: there is nothing to backfill.
  history: {
    backfilled: [],
    note: 'Docker Hub keeps no history of pulls or stars: these charts start at Footprint’s first poll.',
  },
};
