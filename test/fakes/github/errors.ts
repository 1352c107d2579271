// GitHub's error bodies, word for word as in test/fixtures/api/github_*error*.json.
import { STATUS_CODES } from 'node:http';

export interface RestErrorBody {
  message: string;
  documentation_url: string;
  status?: string;
  errors?: { resource: string; field: string; code: string }[];
}

const REST_DOCS = 'https://docs.github.com/rest';

export function badCredentials(): RestErrorBody {
  return { message: 'Bad credentials', documentation_url: REST_DOCS, status: '401' };
}

export function requiresAuthentication(): RestErrorBody {
  return { message: 'Requires authentication', documentation_url: `${REST_DOCS}/users/users#get-the-authenticated-user`, status: '401' };
}

export function notFound(documentationUrl = 'https://docs.github.com/rest/repos/repos#get-a-repository'): RestErrorBody {
  return { message: 'Not Found', documentation_url: documentationUrl, status: '404' };
}

/** Primary limit: GitHub names the user for tokens and the IP for anonymous clients. */
export function primaryRateLimit(who: { userId: number } | { ip: string }): RestErrorBody {
  const message =
    'userId' in who
      ? `API rate limit exceeded for user ID ${who.userId}. If you reach out to GitHub Support for help, please include the request ID CF05:4DFD1:19AA6E5:33F8C4B:687A2E8E and timestamp ${githubTimestamp()}.`
      : `API rate limit exceeded for ${who.ip}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.) If you reach out to GitHub Support for help, please include the request ID CF05:4DFD1:19AA6E5:33F8C4B:687A2E8E and timestamp ${githubTimestamp()}.`;
  return { message, documentation_url: `${REST_DOCS}/overview/rate-limits-for-the-rest-api`, status: '403' };
}

export function secondaryRateLimit(): RestErrorBody {
  return {
    message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    documentation_url:
      'https://docs.github.com/en/free-pro-team@latest/rest/overview/resources-in-the-rest-api#secondary-rate-limits',
  };
}

const TRAFFIC_ANCHORS = { views: 'get-page-views', clones: 'get-repository-clones', referrers: 'get-top-referral-sources', paths: 'get-top-referral-paths' } as const;

export function trafficForbidden(kind: keyof typeof TRAFFIC_ANCHORS): RestErrorBody {
  const anchor = TRAFFIC_ANCHORS[kind];
  return { message: 'Must have push access to repository', documentation_url: `${REST_DOCS}/metrics/traffic#${anchor}`, status: '403' };
}

/** GitHub's answer for a repository whose history is too large to count contributors. */
export function contributorsTooLarge(): RestErrorBody {
  return {
    message: 'The history or contributor list is too large to list contributors for this repository via the API.',
    documentation_url: `${REST_DOCS}/repos/repos#list-repository-contributors`,
    status: '403',
  };
}

/**
 * A stargazer list refused to someone who is not an admin or collaborator. GitHub's words for this are
 * UNCONFIRMED (test/fixtures/api/README.md §1); these are the ones it uses for other admin-only endpoints.
 */
export const STARGAZERS_FORBIDDEN_MESSAGE = 'Must have admin rights to Repository.';

export function stargazersForbidden(): RestErrorBody {
  return { message: STARGAZERS_FORBIDDEN_MESSAGE, documentation_url: `${REST_DOCS}/activity/starring#list-stargazers`, status: '403' };
}

export function stargazerPaginationLimit(): RestErrorBody {
  return {
    message:
      'In order to keep the API fast for everyone, pagination is limited for this resource. Check the rel=last link relation in the Link response header to see how far back you can traverse.',
    documentation_url: 'https://docs.github.com/v3/#pagination',
    status: '422',
  };
}

export function problemsParsingJson(): RestErrorBody {
  return { message: 'Problems parsing JSON', documentation_url: REST_DOCS, status: '400' };
}

/** The body GitHub sends with a plain status (used by failNext with a number). */
export function plainStatus(status: number): RestErrorBody {
  switch (status) {
    case 401:
      return badCredentials();
    case 404:
      return notFound();
    case 422:
      return { message: 'Validation Failed', documentation_url: REST_DOCS, status: '422', errors: [] };
    case 500:
    case 502:
      return { message: 'Server Error', documentation_url: REST_DOCS, status: String(status) };
    default:
      return { message: STATUS_CODES[status] ?? 'Error', documentation_url: REST_DOCS, status: String(status) };
  }
}

export const GRAPHQL_UNAUTHENTICATED = {
  message: 'This endpoint requires you to be authenticated.',
  documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
} as const;

export function graphqlBadCredentials(): RestErrorBody {
  return { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql', status: '401' };
}

export function graphqlRateLimited(userId: number): { data: null; errors: { type: string; message: string }[] } {
  return { data: null, errors: [{ type: 'RATE_LIMITED', message: `API rate limit already exceeded for user ID ${userId}.` }] };
}

/** "2025-06-02 11:22:54 UTC", the form GitHub uses inside rate-limit messages. */
function githubTimestamp(): string {
  return `${new Date().toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
