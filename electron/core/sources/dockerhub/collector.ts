// One collection: every configured namespace (all pages) and image, each repository once however often
// it was reached, with the fields lists lack read from the repository itself.
import type { Logger } from 'pino';
import { RateLimitedError } from '../../source.js';
import type { TargetError } from '../../source.js';
import type { DockerHubApi } from './api.js';
import type { AutomatedFlags } from './automated-flags.js';
import { OFFICIAL_NAMESPACE } from './config.js';
import { DockerHubAuthError, DockerHubNetworkError, DockerHubStatusError, targetFailureMessage } from './errors.js';
import { ApiDownError } from '../common/outage-guard.js';
import type { RepositoryRecord } from './shapes.js';
import { imageKey, imageTarget, namespaceTarget } from './targets.js';
import type { Targets } from './targets.js';

export interface CollectorInput {
  readonly api: DockerHubApi;
  readonly targets: Targets;
  readonly flags: AutomatedFlags;
  readonly loggedIn: boolean;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

export interface Collection {
  /** Sorted by namespace/name. */
  readonly records: RepositoryRecord[];
  readonly errors: TargetError[];
  /** Why Docker Hub could not be reached, when every target failed without any answer; else null. */
  readonly unreachable: string | null;
}

interface Found {
  record: RepositoryRecord;
  /** The target that first reached it, for errors about its details. */
  readonly origin: string;
}

/** Errors that end the whole collection (a rate limit, a refused login, a stop). */
function isFatal(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || error instanceof RateLimitedError || error instanceof DockerHubAuthError || (error instanceof Error && error.name === 'AbortError');
}

/** Fields one answer lacks are taken from the other (a list item and the repository's own answer). */
function merged(known: RepositoryRecord, incoming: RepositoryRecord): RepositoryRecord {
  return {
    ...incoming,
    isAutomated: incoming.isAutomated ?? known.isAutomated,
    lastUpdated: incoming.lastUpdated !== undefined ? incoming.lastUpdated : known.lastUpdated,
  };
}

function emptyNamespaceMessage(namespace: string, loggedIn: boolean): string {
  // The legacy route answers an unknown namespace with an empty list: almost always a typo.
  return loggedIn
    ? `namespace '${namespace}' has no repositories that dockerhub.username can see — check dockerhub.namespaces`
    : `namespace '${namespace}' has no public repositories — check dockerhub.namespaces (private repositories need dockerhub.username and dockerhub.token)`;
}

function imageFailureMessage(error: unknown, image: { namespace: string; name: string }, loggedIn: boolean): string {
  const message = targetFailureMessage(error, `image '${image.namespace}/${image.name}'`, 'dockerhub.images', loggedIn);
  const notFound = error instanceof DockerHubStatusError && error.status === 404;
  if (!notFound || image.namespace !== OFFICIAL_NAMESPACE) return message;
  return `${message} (a bare name means the official image library/NAME; a user or organization belongs under dockerhub.namespaces)`;
}

export async function collectRepositories(input: CollectorInput): Promise<Collection> {
  const { api, targets, flags, loggedIn, log, signal } = input;
  const errors: TargetError[] = [];
  const networkFailures: string[] = [];
  /** Targets not asked because Docker Hub was down earlier in the run. */
  let notAsked = 0;
  const found = new Map<string, Found>();

  const targetFailed = (target: string, error: unknown, message: string) => {
    if (isFatal(error, signal)) throw error;
    if (error instanceof DockerHubNetworkError) networkFailures.push(error.message);
    if (error instanceof ApiDownError) notAsked += 1;
    errors.push({ target, message });
  };
  const add = (record: RepositoryRecord, origin: string) => {
    const key = imageKey(record.namespace, record.name);
    const known = found.get(key);
    if (known) known.record = merged(known.record, record);
    else found.set(key, { record, origin });
  };

  const namespaceWork = targets.namespaces.map(async (namespace) => {
    const target = namespaceTarget(namespace);
    try {
      const { records, rejected } = await api.listNamespace(namespace);
      if (records.length + rejected.length === 0) errors.push({ target, message: emptyNamespaceMessage(namespace, loggedIn) });
      for (const record of records) add(record, target);
      // One unreadable item costs that repository only.
      for (const bad of rejected) {
        errors.push({
          target: bad.name === null ? target : imageTarget({ namespace, name: bad.name }),
          message: `${bad.name === null ? `a repository of namespace '${namespace}'` : `repository '${namespace}/${bad.name}'`} is left out: ${bad.reason}`,
        });
      }
    } catch (error) {
      targetFailed(target, error, targetFailureMessage(error, `namespace '${namespace}'`, 'dockerhub.namespaces', loggedIn));
    }
  });
  const imageWork = targets.images.map(async (image) => {
    const target = imageTarget(image);
    try {
      add(await api.repository(image.namespace, image.name), target);
    } catch (error) {
      targetFailed(target, error, imageFailureMessage(error, image, loggedIn));
    }
  });
  await Promise.all([...namespaceWork, ...imageWork]);

  const now = Date.now();
  for (const [key, { record }] of found) if (record.isAutomated !== undefined) flags.set(key, record.isAutomated, now);
  const lacking = [...found].filter(([key, { record }]) => record.lastUpdated === undefined || (record.isAutomated === undefined && flags.get(key, now) === undefined));
  if (lacking.length > 0) log.debug({ repositories: lacking.length }, 'reading Docker Hub repositories whose list entries lack fields');
  // Failures here cost one field of one repository: reported once per target that listed them.
  const detailFailures = new Map<string, string[]>();
  await Promise.all(
    lacking.map(async ([key, entry]) => {
      const { namespace, name } = entry.record;
      try {
        const detail = await api.repository(namespace, name);
        entry.record = merged(entry.record, detail);
        if (detail.isAutomated !== undefined) flags.set(key, detail.isAutomated, Date.now());
      } catch (error) {
        if (isFatal(error, signal)) throw error;
        const reason = `'${namespace}/${name}': ${error instanceof Error ? error.message : String(error)}`;
        detailFailures.set(entry.origin, [...(detailFailures.get(entry.origin) ?? []), reason]);
      }
    }),
  );
  for (const [target, reasons] of detailFailures) {
    const what = reasons.length === 1 ? 'the details of 1 repository' : `the details of ${reasons.length} repositories`;
    const still = reasons.length === 1 ? 'its pulls and stars are' : 'their pulls and stars are';
    errors.push({ target, message: `${what} could not be read (${reasons[0]}${reasons.length > 1 ? '; …' : ''}); ${still} still reported` });
  }
  flags.retain(new Set(found.keys()));

  const records = [...found]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, { record }]) => (record.isAutomated === undefined ? { ...record, isAutomated: flags.get(key, now) } : record));
  const targetCount = targets.namespaces.length + targets.images.length;
  const unreachable = networkFailures.length > 0 && networkFailures.length + notAsked === targetCount ? networkFailures[0]! : null;
  return { records, errors, unreachable };
}
