// How the UI presents Google Analytics 4: its Settings form and its Overview cards.
import type { SourceUi } from '../../../../shared/source-ui.js';
import { apiUrlField, intervalField } from '../common/ui-fields.js';

export const ga4Ui: SourceUi = {
  form: {
    pitch: 'Add a Google Analytics 4 property to follow your website’s users and page views.',
    fields: [
      { key: 'properties', label: 'Properties', kind: 'list', itemNoun: 'property ID', placeholder: '123456789', help: 'The number in Admin → Property settings.' },
      { key: 'credentialsFile', label: 'Credentials file', kind: 'path', upload: { accept: '.json,application/json', label: 'Upload the key file…' }, placeholder: './service-account.json', help: 'The JSON key file of a service account with read access to the properties: upload it (Footprint keeps it beside the configuration file, readable only by you), or type its path on the machine Footprint runs on, relative to the config file. Empty: Application Default Credentials — GOOGLE_APPLICATION_CREDENTIALS, `gcloud auth application-default login`, or the service account of the Google Cloud machine Footprint runs on.' },
      apiUrlField('https://analyticsdata.googleapis.com', 'Leave empty for Google’s.'),
      intervalField('15m'),
      {
        key: 'backfillDays',
        label: 'History',
        kind: 'text',
        placeholder: '425',
        help: 'How many days of daily figures to read back: a number of days, or weeks such as 52w; at most 3650. Empty means 425 (about 14 months).',
      },
    ],
  },
  overview: {
    groupBy: 'property',
    groupNoun: 'property',
    metrics: [
      { metric: 'ga4_active_users', title: 'Users (28 days)', where: { period: 'last_28_days' } },
      { metric: 'ga4_page_views', title: 'Page views (28 days)', where: { period: 'last_28_days' } },
    ],
  },
  history: {
    backfilled: ['ga4_active_users', 'ga4_new_users', 'ga4_sessions', 'ga4_page_views'],
    note: 'Users, new users, sessions and page views are read back day by day to the property’s first day with data (at most the History setting, 425 days by default); top pages, realtime users and quota start at the first poll.',
  },
};
