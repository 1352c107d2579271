// How the UI presents Google Analytics 4: its Settings form and its Overview cards.
import type { SourceUi } from '../../../../shared/source-ui.js';
import { apiUrlField, intervalField } from '../common/ui-fields.js';

export const ga4Ui: SourceUi = {
  form: {
    pitch: 'Add a Google Analytics 4 property to follow your website’s users and page views.',
    fields: [
      { key: 'properties', label: 'Properties', kind: 'list', itemNoun: 'property ID', placeholder: '123456789', help: 'The number in Admin → Property settings.' },
      { key: 'credentialsFile', label: 'Credentials file', kind: 'path', placeholder: './service-account.json', help: 'The JSON key file of a service account with read access to the properties; relative to the config file.' },
      apiUrlField('https://analyticsdata.googleapis.com', 'Leave empty for Google’s.'),
      intervalField('15m'),
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
};
