// Settings fields every source has, described once.
import type { FieldSpec } from '../../../../shared/source-ui.js';

/** How a secret typed into Settings is kept, and where ${VAR} references work (config/edit-provenance.ts). */
export const SECRET_HINT = 'A token typed here is kept out of sight: in the configuration file, readable only by you (the desktop app keeps it in the system keychain). A ${VAR} reference works here only where the configuration file already uses it — add one to the file by hand.';

export function apiUrlField(placeholder: string, help: string): FieldSpec {
  return { key: 'apiUrl', label: 'API address', kind: 'url', placeholder, help };
}

export function intervalField(placeholder: string): FieldSpec {
  return { key: 'interval', label: 'Poll every', kind: 'duration', placeholder, help: `A duration such as 30s, 10m, 6h or 1h30m; empty means ${placeholder}.` };
}
