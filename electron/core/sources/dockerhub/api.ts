// Docker Hub's repository endpoints. The current routes (/v2/namespaces/{ns}/repositories…) are tried
// first; when one answers 404 before any current route has worked, the legacy route (/v2/repositories/
// {ns}/…) is asked too, since older and on-prem hubs only have that. Which style works is remembered.
import type { Logger } from 'pino';
import type { AccessTokens } from './auth.js';
import { DockerHubStatusError, MalformedResponseError } from './errors.js';
import type { DockerHubHttp, HttpAnswer } from './http.js';
import { parseRepository, parseRepositoryPage } from './shapes.js';
import type { RejectedRecord, RepositoryRecord } from './shapes.js';

export type ApiStyle = 'unknown' | 'current' | 'legacy';

/** Which routes this hub serves; kept by the source across collections. */
export interface ApiStyleMemory {
  value: ApiStyle;
}

const PAGE_SIZE = 100;
/** 100,000 repositories: a `next` chain longer than this is a loop, not a namespace. */
const MAX_PAGES = 1_000;

/** Neither route exists at the configured base URL. */
export class DockerHubApiMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerHubApiMissingError';
  }
}

export interface DockerHubApiOptions {
  readonly apiUrl: string;
  readonly http: DockerHubHttp;
  /** null: anonymous requests. */
  readonly tokens: AccessTokens | null;
  readonly style: ApiStyleMemory;
  readonly log: Logger;
}

export class DockerHubApi {
  private readonly options: DockerHubApiOptions;
  private readonly origin: string;

  constructor(options: DockerHubApiOptions) {
    this.options = options;
    this.origin = new URL(options.apiUrl).origin;
  }

  /** Every repository of a namespace, all pages; items that could not be read are in `rejected`. */
  async listNamespace(namespace: string): Promise<{ records: RepositoryRecord[]; rejected: RejectedRecord[] }> {
    const ns = encodeURIComponent(namespace);
    const query = `page_size=${PAGE_SIZE}&page=1`;
    const currentUrl = `${this.options.apiUrl}/v2/namespaces/${ns}/repositories?${query}`;
    const legacyUrl = `${this.options.apiUrl}/v2/repositories/${ns}/?${query}`;
    const readPage = async (url: string) => parseRepositoryPage(await this.expectOk(url), namespace);
    const first = await this.withFallback(
      () => readPage(currentUrl),
      () => readPage(legacyUrl),
      // An empty legacy list proves nothing: the legacy route answers 200 for an unknown namespace too.
      (page) => page.records.length + page.rejected.length > 0,
    );
    const records = [...first.records];
    const rejected = [...first.rejected];
    const seen = new Set<string>();
    let next = first.next;
    for (let pages = 1; next !== null; pages++) {
      const url = this.onConfiguredOrigin(next);
      if (seen.has(url) || pages >= MAX_PAGES) throw new MalformedResponseError(`Docker Hub's list of namespace '${namespace}' does not end (its "next" links loop)`);
      seen.add(url);
      let page;
      try {
        page = await readPage(url);
      } catch (error) {
        // A page past the end answers 404: the namespace shrank while it was being read.
        if (error instanceof DockerHubStatusError && error.status === 404) break;
        throw error;
      }
      records.push(...page.records);
      rejected.push(...page.rejected);
      next = page.next;
    }
    return { records, rejected };
  }

  /** One repository with every field (`repository_info`). */
  async repository(namespace: string, name: string): Promise<RepositoryRecord> {
    const [ns, repo] = [encodeURIComponent(namespace), encodeURIComponent(name)];
    const read = async (url: string) => parseRepository(await this.expectOk(url), namespace);
    return this.withFallback(
      () => read(`${this.options.apiUrl}/v2/namespaces/${ns}/repositories/${repo}`),
      () => read(`${this.options.apiUrl}/v2/repositories/${ns}/${repo}/`),
      () => true,
    );
  }

  private async withFallback<T>(current: () => Promise<T>, legacy: () => Promise<T>, provesLegacy: (result: T) => boolean): Promise<T> {
    const { style } = this.options;
    if (style.value === 'legacy') return legacy();
    let currentError: DockerHubStatusError;
    try {
      const result = await current();
      style.value = 'current';
      return result;
    } catch (error) {
      // Once a current route has worked, its 404 is about the namespace or image, not the route.
      if (!(error instanceof DockerHubStatusError && error.status === 404) || style.value === 'current') throw error;
      currentError = error;
    }
    let result: T;
    try {
      result = await legacy();
    } catch (legacyError) {
      if (!(legacyError instanceof DockerHubStatusError)) throw legacyError;
      if (legacyError.status === 404 && !currentError.fromDockerHub && !legacyError.fromDockerHub) {
        throw new DockerHubApiMissingError(`no Docker Hub API answers at ${this.options.apiUrl} (both /v2/namespaces/… and /v2/repositories/… are unknown there) — check dockerhub.apiUrl`);
      }
      // The legacy route's trouble says nothing new: the current route's 404 stands.
      throw currentError;
    }
    if (provesLegacy(result)) this.rememberLegacy();
    return result;
  }

  private rememberLegacy(): void {
    if (this.options.style.value === 'legacy') return;
    this.options.style.value = 'legacy';
    this.options.log.info({ apiUrl: this.options.apiUrl }, 'Docker Hub serves only the legacy /v2/repositories routes here; using them');
  }

  /** The body of a 200 answer; any other status is thrown as DockerHubStatusError. */
  private async expectOk(url: string): Promise<string> {
    const answer = await this.get(url);
    if (answer.status !== 200) throw new DockerHubStatusError(answer.status, answer.text);
    return answer.text;
  }

  /** A GET with the login's JWT when there is one; a refused JWT is renewed once. */
  private async get(url: string): Promise<HttpAnswer> {
    const { http, tokens } = this.options;
    if (tokens === null) return http.send({ method: 'GET', url });
    const jwt = await tokens.current(http);
    const answer = await http.send({ method: 'GET', url, bearer: jwt });
    if (answer.status !== 401) return answer;
    tokens.invalidate(jwt);
    return http.send({ method: 'GET', url, bearer: await tokens.current(http) });
  }

  /** `next` links are followed on the configured host only, so the JWT never goes anywhere else. */
  private onConfiguredOrigin(link: string): string {
    const url = new URL(link, `${this.options.apiUrl}/`);
    if (url.origin === this.origin) return url.href;
    // A hub behind a proxy may name its internal host: keep the path and query.
    return new URL(`${url.pathname}${url.search}`, this.origin).href;
  }
}
