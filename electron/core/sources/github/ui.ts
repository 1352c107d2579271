// How the UI presents GitHub: its Settings form, its Overview cards and what its charts hold of the past.
import type { SourceUi } from '../../../../shared/source-ui.js';
import { apiUrlField, intervalField } from '../common/ui-fields.js';

export const githubUi: SourceUi = {
  form: {
    pitch: 'Add a GitHub organization, user or repository to follow its stars, forks, watchers, issues and release downloads.',
    fields: [
      { key: 'orgs', label: 'Organizations', kind: 'list', itemNoun: 'organization', placeholder: 'my-org' },
      { key: 'users', label: 'Users', kind: 'list', itemNoun: 'user', placeholder: 'my-user' },
      { key: 'repos', label: 'Repositories', kind: 'list', itemNoun: 'repository', placeholder: 'owner/name' },
      {
        key: 'auth',
        label: 'Sign in with',
        kind: 'choice',
        choices: [
          { value: 'token', label: 'Personal token', keys: ['token'] },
          { value: 'tokenFile', label: 'Token file', keys: ['tokenFile'] },
          { value: 'app', label: 'GitHub App', keys: ['app'] },
        ],
      },
      { key: 'token', label: 'Token', kind: 'secret', variable: 'GITHUB_TOKEN', placeholder: 'ghp_…', help: `Optional. Without one, public data only, at 60 requests an hour.`, showWhen: { field: 'auth', value: 'token' } },
      {
        key: 'tokenFile',
        label: 'Token file',
        kind: 'path',
        placeholder: '/run/secrets/github-token',
        help: 'A file holding only the token, such as a Docker or Kubernetes secret; read again whenever it changes. A relative path starts at the configuration file’s folder.',
        showWhen: { field: 'auth', value: 'tokenFile' },
      },
      { key: 'app.appId', label: 'App ID', kind: 'text', placeholder: '123456', help: 'The number shown as “App ID” on the App’s settings page (not the client ID).', showWhen: { field: 'auth', value: 'app' } },
      {
        key: 'app.privateKeyFile',
        label: 'Private key file',
        kind: 'path',
        placeholder: './footprint-app.pem',
        help: 'The .pem file generated on the App’s settings page (Private keys). Footprint reads it; it is not copied into the configuration.',
        showWhen: { field: 'auth', value: 'app' },
      },
      {
        key: 'app.installationId',
        label: 'Installation ID',
        kind: 'text',
        placeholder: 'found from the first organization or user',
        help: 'Optional: the number at the end of the installation’s settings address. Without it, Footprint asks GitHub for the App’s installation on the first organization or user above.',
        showWhen: { field: 'auth', value: 'app' },
      },
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
