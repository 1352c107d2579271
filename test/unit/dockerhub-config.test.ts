import { describe, expect, it } from 'vitest';
import { dockerhubConfigSchema } from '../../electron/core/sources/dockerhub/config.js';
import { targetsOf } from '../../electron/core/sources/dockerhub/targets.js';
import { refusedIssues } from '../support/config-issues.js';

const issuesOf = (input: unknown) => refusedIssues(dockerhubConfigSchema, input);

describe('dockerhub config schema', () => {
  it('fills the documented defaults', () => {
    expect(dockerhubConfigSchema.parse({ namespaces: ['my-org'] })).toEqual({
      apiUrl: 'https://hub.docker.com',
      namespaces: ['my-org'],
      images: [],
      username: undefined,
      token: undefined,
      interval: 1_800_000,
      timeout: 20_000,
    });
  });

  it('reads a bare image name as the official library/NAME and keeps namespace/name as written', () => {
    expect(dockerhubConfigSchema.parse({ images: ['nginx', 'library/redis', 'my-org/my_image.v2', ' bitnami/postgresql '] }).images).toEqual([
      'library/nginx',
      'library/redis',
      'my-org/my_image.v2',
      'bitnami/postgresql',
    ]);
  });

  it('takes username and token together, and treats empty values as unset', () => {
    const config = dockerhubConfigSchema.parse({ images: ['nginx'], username: ' me ', token: ' dckr_pat_x ', interval: '1h' });
    expect([config.username, config.token, config.interval]).toEqual(['me', 'dckr_pat_x', 3_600_000]);
    const anonymous = dockerhubConfigSchema.parse({ images: ['nginx'], username: '', token: '  ' });
    expect([anonymous.username, anonymous.token]).toEqual([undefined, undefined]);
  });

  it('names the missing half of the credentials', () => {
    expect(issuesOf({ images: ['nginx'], username: 'me' })).toEqual([
      {
        path: 'token',
        message: 'dockerhub.username is set but dockerhub.token is missing or empty: add a personal access token, e.g. token: "${DOCKERHUB_TOKEN}", or remove dockerhub.username',
      },
    ]);
    expect(issuesOf({ images: ['nginx'], token: 'dckr_pat_secret_value', username: '' })).toEqual([
      { path: 'username', message: 'dockerhub.token is set but dockerhub.username is missing: add the Docker ID (or organization) the token belongs to, or remove dockerhub.token' },
    ]);
  });

  it('asks for at least one target', () => {
    expect(issuesOf({})).toEqual([
      { path: '', message: 'dockerhub needs at least one target: list users or organizations under dockerhub.namespaces, or images ("namespace/name") under dockerhub.images' },
    ]);
    expect(issuesOf({ namespaces: [], images: [] })).toHaveLength(1);
  });

  it('explains a wrong namespace or image, with a hint at the usual mistake', () => {
    expect(issuesOf({ namespaces: ['my-org/app'] })).toEqual([
      { path: 'namespaces.0', message: '"my-org/app" is not a Docker Hub namespace: write the user or organization name only, e.g. "my-org"; a single repository ("namespace/name") belongs under dockerhub.images' },
    ]);
    expect(issuesOf({ namespaces: ['MyOrg'] })[0]!.message).toBe('"MyOrg" is not a Docker Hub namespace: write the user or organization name only, e.g. "my-org"; Docker Hub names are lowercase');
    expect(issuesOf({ images: ['nginx:1.27'] })).toEqual([
      {
        path: 'images.0',
        message: '"nginx:1.27" is not a Docker Hub image: write "namespace/name", e.g. "my-org/my-image", or "library/nginx" (a bare "nginx" also means library/nginx); leave out the tag or digest',
      },
    ]);
    expect(issuesOf({ images: ['docker.io/library/nginx'] })[0]!.message).toMatch(/; leave out the host$/);
    expect(issuesOf({ images: ['a/b/c'] })[0]!.path).toBe('images.0');
    expect(issuesOf({ images: ['My-Org/app'] })[0]!.message).toMatch(/lowercase$/);
  });

  it('refuses a URL that is not an http(s) base, a short interval and unknown keys; drops a trailing slash', () => {
    expect(dockerhubConfigSchema.parse({ images: ['nginx'], apiUrl: 'http://127.0.0.1:8080/' }).apiUrl).toBe('http://127.0.0.1:8080');
    expect(issuesOf({ images: ['nginx'], apiUrl: 'hub.docker.com' })).toEqual([
      { path: 'apiUrl', message: '"hub.docker.com" is not an http(s) base URL: use "https://hub.docker.com", or the base URL of a compatible on-prem hub' },
    ]);
    expect(issuesOf({ images: ['nginx'], interval: '500ms' })).toEqual([{ path: 'interval', message: '500ms is too short: use at least 1s' }]);
    expect(issuesOf({ images: ['nginx'], password: 'x' })[0]!.path).toBe('');
  });
});

describe('dockerhub targets', () => {
  it('lists each namespace and image once', () => {
    const config = dockerhubConfigSchema.parse({ namespaces: ['a', 'a', 'b'], images: ['nginx', 'library/nginx', 'a/x'] });
    expect(targetsOf(config)).toEqual({
      namespaces: ['a', 'b'],
      images: [
        { namespace: 'library', name: 'nginx' },
        { namespace: 'a', name: 'x' },
      ],
    });
  });
});
