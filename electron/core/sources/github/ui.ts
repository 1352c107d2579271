// How the UI presents GitHub: its Settings form, its Overview cards and what its charts hold of the past.
import type { SourceUi } from '../../../../shared/source-ui.js';
import { apiUrlField, SECRET_HINT, intervalField } from '../common/ui-fields.js';

export const githubUi: SourceUi = {
  form: {
    pitch: 'Add a GitHub organization, user or repository to follow its stars, forks, watchers, issues and release downloads.',
    fields: [
      { key: 'orgs', label: 'Organizations', kind: 'list', itemNoun: 'organization', placeholder: 'my-org' },
      { key: 'users', label: 'Users', kind: 'list', itemNoun: 'user', placeholder: 'my-user' },
      { key: 'repos', label: 'Repositories', kind: 'list', itemNoun: 'repository', placeholder: 'owner/name' },
      { key: 'token', label: 'Token', kind: 'secret', placeholder: 'ghp_…', help: `Optional. Without one, public data only, at 60 requests an hour. ${SECRET_HINT}` },
      apiUrlField('https://api.github.com', 'GitHub Enterprise Server: https://HOST/api/v3'),
      intervalField('10m'),
      {
        key: 'include',
        label: 'Include repositories that are',
        kind: 'flags',
        flags: [
          { key: 'forks', label: 'forks', default: true },
          { key: 'archived', label: 'archived', default: true },
          { key: 'private', label: 'private', default: true },
        ],
      },
    ],
  },
  overview: {
    groupBy: 'user',
    groupNoun: 'owner',
    metrics: [
      { metric: 'github_repo_stars', title: 'Stars' },
      { metric: 'github_repo_forks', title: 'Forks' },
    ],
  },
  history: {
    backfilled: ['github_repo_stars', 'github_repo_forks'],
    note: 'Stars and forks are read back to each repository’s creation; release download counts have no history at GitHub, so they start at Footprint’s first poll.',
  },
};
