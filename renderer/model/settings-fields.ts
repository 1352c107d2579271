// The Settings form of each source: which keys of its config section the UI edits and how (the
// schemas live in electron/core/sources/*; keys the form does not know are kept as written).
import type { SourceInfo } from '../../shared/api.js';

export type FieldKind = 'list' | 'text' | 'url' | 'secret' | 'duration' | 'path' | 'flags';

export interface FlagSpec {
  readonly key: string;
  readonly label: string;
  /** The schema's default, so an untouched flag group is not written into the file. */
  readonly default: boolean;
}

export interface FieldSpec {
  readonly key: string;
  readonly label: string;
  readonly kind: FieldKind;
  readonly help?: string;
  readonly placeholder?: string;
  /** What one entry of a list is called ("organization"). */
  readonly itemNoun?: string;
  readonly flags?: readonly FlagSpec[];
}

export interface SourceForm {
  /** Why one would add the source, for the first-run screen and an unconfigured source. */
  readonly pitch: string;
  readonly fields: readonly FieldSpec[];
}

const apiUrl = (placeholder: string, help: string): FieldSpec => ({ key: 'apiUrl', label: 'API address', kind: 'url', placeholder, help });
const interval = (placeholder: string): FieldSpec => ({
  key: 'interval',
  label: 'Poll every',
  kind: 'duration',
  placeholder,
  help: `A duration such as 30s, 10m, 6h or 1h30m; empty means ${placeholder}.`,
});
const ENV_HINT = 'Write ${VAR} to read it from the environment, so it stays out of the file.';

export const sourceForms: Readonly<Record<string, SourceForm>> = {
  github: {
    pitch: 'Add a GitHub organization, user or repository to follow its stars, forks, watchers, issues and release downloads.',
    fields: [
      { key: 'orgs', label: 'Organizations', kind: 'list', itemNoun: 'organization', placeholder: 'my-org' },
      { key: 'users', label: 'Users', kind: 'list', itemNoun: 'user', placeholder: 'my-user' },
      { key: 'repos', label: 'Repositories', kind: 'list', itemNoun: 'repository', placeholder: 'owner/name' },
      { key: 'token', label: 'Token', kind: 'secret', placeholder: '${GITHUB_TOKEN}', help: `Optional. Without one, public data only, at 60 requests an hour. ${ENV_HINT}` },
      apiUrl('https://api.github.com', 'GitHub Enterprise Server: https://HOST/api/v3'),
      interval('10m'),
      {
        key: 'include',
        label: 'Include repositories that are',
        kind: 'flags',
        flags: [
          { key: 'forks', label: 'forks', default: false },
          { key: 'archived', label: 'archived', default: true },
          { key: 'private', label: 'private', default: true },
        ],
      },
    ],
  },
  dockerhub: {
    pitch: 'Add a Docker Hub namespace or image to follow its pulls and stars.',
    fields: [
      { key: 'namespaces', label: 'Namespaces', kind: 'list', itemNoun: 'namespace', placeholder: 'my-org' },
      { key: 'images', label: 'Images', kind: 'list', itemNoun: 'image', placeholder: 'namespace/name' },
      { key: 'username', label: 'Docker ID', kind: 'text', placeholder: 'my-user', help: 'Optional; needed with a token.' },
      { key: 'token', label: 'Access token', kind: 'secret', placeholder: '${DOCKERHUB_TOKEN}', help: `Optional: a personal or organization access token. ${ENV_HINT}` },
      apiUrl('https://hub.docker.com', 'Only for a compatible on-premises hub.'),
      interval('30m'),
    ],
  },
  ga4: {
    pitch: 'Add a Google Analytics 4 property to follow your website’s users and page views.',
    fields: [
      { key: 'properties', label: 'Properties', kind: 'list', itemNoun: 'property ID', placeholder: '123456789', help: 'The number in Admin → Property settings.' },
      { key: 'credentialsFile', label: 'Credentials file', kind: 'path', placeholder: './service-account.json', help: 'The JSON key file of a service account with read access to the properties; relative to the config file.' },
      apiUrl('https://analyticsdata.googleapis.com', 'Leave empty for Google’s.'),
      interval('15m'),
    ],
  },
  npm: {
    pitch: 'Add npm packages to follow their downloads.',
    fields: [
      { key: 'packages', label: 'Packages', kind: 'list', itemNoun: 'package', placeholder: 'left-pad or @scope/name' },
      apiUrl('https://api.npmjs.org', 'Leave empty for npm’s.'),
      interval('6h'),
    ],
  },
};

/** The form of a source; a source the UI does not know gets none (its section is edited in the file). */
export function sourceFormFor(source: Pick<SourceInfo, 'id'>): SourceForm | null {
  return sourceForms[source.id] ?? null;
}
