// The Settings form of a source: which keys of its config section the UI edits and how. Each source
// module declares it (SourceInfo.ui); keys the form does not know are kept as written.
import type { AppInfo, SourceInfo } from '../../shared/api.js';
import type { FieldSpec, SourceForm } from '../../shared/source-ui.js';

export type { ChoiceSpec, FieldKind, FieldSpec, FlagSpec, SourceForm } from '../../shared/source-ui.js';

/** The form the source module declares; a source that declares none is edited in the file. */
export function sourceFormFor(source: Pick<SourceInfo, 'ui'>): SourceForm | null {
  return source.ui?.form ?? null;
}

/**
 * Where a token typed into a secret field is kept, and the `${VAR}` reference that keeps it out of
 * the file (it works only once the file uses it: config/edit-provenance.ts).
 */
export function secretFieldHint(field: Pick<FieldSpec, 'key' | 'variable'>, info: Pick<AppInfo, 'secretStore'>): string {
  const kept = info.secretStore === 'keychain'
    ? 'A token typed here is kept in the system keychain, not in the configuration file.'
    : 'A token typed here is saved in the configuration file, readable only by you (mode 0600).';
  const variable = field.variable ?? 'TOKEN';
  return `${kept} Or use a reference such as \${${variable}}: write ${field.key}: "\${${variable}}" into the file by hand and set ${variable} where Footprint runs.`;
}
