// Public contract of the loopback Google fake (GA4 Data API v1beta and the OAuth token endpoint).
// Source clients and tests are written against it: change it only by adding.
import type { FaultControls } from '../loopback.js';

/** The four totals the fake holds per period. */
export interface FakeDailyTotals {
  activeUsers: number;
  newUsers: number;
  sessions: number;
  screenPageViews: number;
}

/** One day of a property's history, as reports by `date` give it. */
export interface FakeDay extends FakeDailyTotals {
  /** Distinct users in the 28 days ending with this day. */
  active28DayUsers: number;
}

/** The periods the fake has data for, as date ranges: today..today, yesterday..yesterday, 28daysAgo..yesterday. */
export type FakePeriod = 'today' | 'yesterday' | 'last_28_days';

export interface FakePage {
  path: string;
  /** screenPageViews over the last 28 days. */
  views: number;
  /** Sent as the row's screenPageViews text instead of `views`: a malformed row (e.g. "NaN", "1e400"). */
  rawViews?: string;
}

export interface FakeQuota {
  /** Core-reporting tokens left today; default 200,000 (a standard property). */
  tokensPerDay?: number;
  /** Core-reporting tokens left this hour; default 40,000. */
  tokensPerHour?: number;
  /** Tokens each report costs; default 1. */
  tokensPerRequest?: number;
}

export interface FakeProperty {
  daily: Record<FakePeriod, FakeDailyTotals>;
  /** Pages with their views over the last 28 days, in any order. */
  pages: FakePage[];
  /** Active users in the last 30 minutes. */
  realtimeActiveUsers: number;
  /** Service-account e-mails that may read the property; absent means any valid credential. */
  allowedEmails?: string[];
  /** This property's quota, instead of FakeGoogleOptions.quota. */
  quota?: FakeQuota;
  /**
   * Day by day ("YYYY-MM-DD" in the property's time zone), for reports by `date` over any date range;
   * a day not listed had no data (no row, as GA4 leaves out empty rows).
   */
  history?: Record<string, FakeDay>;
  /** The reporting time zone: relative dates and `metadata.timeZone`. Default "America/Los_Angeles". */
  timeZone?: string;
  /** The most rows one reply holds whatever `limit` asks (GA4's own cap is 250,000), to make clients page. */
  maxRowsPerReply?: number;
}

/** A public key the fake trusts; `kid` is matched against the JWT header's kid when both are present. */
export interface FakeGoogleKey {
  kid?: string;
  publicKeyPem: string;
}

export interface FakeGoogleOptions {
  properties: Record<string, FakeProperty>;
  /** The one trusted key (or give `keys`). */
  publicKeyPem?: string;
  keys?: FakeGoogleKey[];
  /** Delay before each reply. */
  latencyMs?: number;
  /** Default quota of every property. */
  quota?: FakeQuota;
  /** expires_in of access tokens from /token; default 3599. */
  accessTokenLifetimeSeconds?: number;
  /** The fake's clock (epoch ms) for JWT times and access-token expiry; default Date.now. */
  now?: () => number;
}

export interface FakeFailure {
  /** Tested against "POST /path"; absent matches every request (the token endpoint included). */
  match?: RegExp;
  /** HTTP status to answer (400-599, or 200 with `body` for a malformed reply). */
  status: number;
  /** How many matching requests fail; default 1. */
  times?: number;
  /** Google's message in the error body, instead of the fixture's. */
  message?: string;
  /** The raw reply body, instead of Google's error JSON. */
  body?: string;
}

export type FakeEndpoint = 'runReport' | 'runRealtimeReport' | 'token' | 'other';
export type FakeCredentialKind = 'self-signed-jwt' | 'access-token' | 'none' | 'invalid';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  endpoint: FakeEndpoint;
  propertyId: string | null;
  status: number;
  /** What authenticated the request (API calls); 'none' for the token endpoint. */
  credential: FakeCredentialKind;
  /** The service account the credential belongs to, when valid. */
  email: string | null;
  /** The self-signed Bearer JWT (API calls) or the assertion (token endpoint), decoded. */
  jwt: DecodedJwt | null;
  /** Parsed JSON body (API) or form fields (token endpoint); null when unreadable. */
  body: unknown;
}

export interface FakeGoogle extends FaultControls {
  /** The Data API base URL (use as ga4.apiUrl). */
  readonly url: string;
  /** The OAuth token endpoint (use as the key file's token_uri). */
  readonly tokenUrl: string;
  readonly requests: RecordedRequest[];
  resetRequests(): void;
  /** Merges `patch` into a property (daily per period); throws for an unknown property. */
  updateProperty(id: string, patch: Partial<FakeProperty>): void;
  /** The next matching request(s) fail with `status`. */
  failNext(failure: FakeFailure): void;
  /** Tokens left in a property's core-reporting buckets. */
  quotaOf(id: string): { tokensPerDay: number; tokensPerHour: number };
  /** Makes every access token issued so far invalid (401), as when a key is deleted. */
  revokeAccessTokens(): void;
  close(): Promise<void>;
}
