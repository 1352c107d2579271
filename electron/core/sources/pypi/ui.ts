// How the UI presents PyPI: its Settings form and its Overview cards.
import type { SourceUi } from '../../../../shared/source-ui.js';
import { apiUrlField, intervalField } from '../common/ui-fields.js';

export const pypiUi: SourceUi = {
  form: {
    pitch: 'Add PyPI packages to follow their downloads (from pypistats.org).',
    fields: [
      { key: 'packages', label: 'Packages', kind: 'list', itemNoun: 'package', placeholder: 'requests' },
      apiUrlField('https://pypistats.org', 'Leave empty for pypistats.org.'),
      intervalField('1d'),
    ],
  },
  overview: {
    groupBy: 'package',
    groupNoun: 'package',
    metrics: [{ metric: 'pypi_package_downloads', title: 'Downloads (7 days)', where: { period: 'last_week' } }],
  },
  history: {
    backfilled: ['pypi_package_downloads'],
    note: 'Downloads are read back day by day for the last 180 days, all pypistats.org keeps (mirrors left out).',
  },
};
