// One GA4 property behind the Google fake, with a service-account key file for it in `dir`: the setup the
// end-to-end tests share. The key pair is made at test time; nothing secret is committed.
import { startFakeGoogle, type FakeGoogle } from '../fakes/google/index.js';
import type { FakeDay } from '../fakes/google/types.js';
import { writeTestServiceAccount, type TestServiceAccount } from '../fakes/google/service-account.js';

export const GA4_PROPERTY = '123456789';

/** The property's figures, as the fake serves them. */
export const ga4Figures = {
  daily: {
    today: { activeUsers: 11, newUsers: 5, sessions: 14, screenPageViews: 40 },
    yesterday: { activeUsers: 120, newUsers: 50, sessions: 150, screenPageViews: 400 },
    last_28_days: { activeUsers: 3000, newUsers: 1400, sessions: 4100, screenPageViews: 12_000 },
  },
  pages: [{ path: '/', views: 900 }, { path: '/docs', views: 300 }],
  realtimeActiveUsers: 7,
} as const;

/**
 * Starts the fake and writes `service-account.json` into `dir` (its token_uri points at the fake).
 * `history`: the property's days ("YYYY-MM-DD" → figures) for reports by date (backfill); default none.
 */
export async function startGa4Property(dir: string, options: { history?: Record<string, FakeDay>; latencyMs?: number } = {}): Promise<{ google: FakeGoogle; account: TestServiceAccount }> {
  const placeholder = writeTestServiceAccount({ dir, tokenUri: 'http://127.0.0.1:9/token' });
  const google = await startFakeGoogle({
    publicKeyPem: placeholder.publicKeyPem,
    properties: {
      [GA4_PROPERTY]: {
        daily: structuredClone(ga4Figures.daily),
        pages: ga4Figures.pages.map((page) => ({ ...page })),
        realtimeActiveUsers: ga4Figures.realtimeActiveUsers,
        allowedEmails: [placeholder.clientEmail],
        ...(options.history ? { history: options.history } : {}),
      },
    },
    ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
  });
  const account = writeTestServiceAccount({ dir, tokenUri: google.tokenUrl, keys: placeholder, clientEmail: placeholder.clientEmail });
  return { google, account };
}
