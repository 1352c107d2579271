// Token-shaped values made at test time, so nothing that looks like a real secret is ever committed.
import { randomBytes } from 'node:crypto';

/** Shaped like a GitHub personal access token (ghp_ + 36 characters). */
export function fakeGitHubToken(): string {
  return `ghp_${randomBytes(18).toString('hex')}`;
}

/** Shaped like a Docker Hub personal access token (dckr_pat_ + base64url, so with - and _ sometimes). */
export function fakeDockerHubToken(): string {
  return `dckr_pat_${randomBytes(21).toString('base64url')}`;
}
