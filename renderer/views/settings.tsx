// Settings: add and remove what each source follows, tokens, intervals; "Test connection" before
// saving; problems shown next to the field they are about. Saved settings apply without a restart
// (the core reconfigures itself). Also: the /metrics address to copy into Prometheus.
import { useEffect, useId, useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from 'react';
import type { AppInfo, ConnectionTest, EditableConfig, SectionSettings, SourceInfo } from '../../shared/api.js';
import { errorMessage } from '../api/errors.js';
import { useClient } from '../components/client-context.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorNotice, Loading } from '../components/status.js';
import { useLiveEvents } from '../hooks/use-live-events.js';
import { useLoad } from '../hooks/use-load.js';
import { useLeaveGuard } from '../leave-guard.js';
import { EntriesEditor } from './entries-editor.js';
import { secretFieldHint, sourceFormFor, type FieldSpec } from '../model/settings-fields.js';
import {
  compactForm,
  draftEntries,
  formFromSettings,
  hasUnsavedEdits,
  isFieldShown,
  isStoredSecret,
  isVariableReference,
  mapIssues,
  sectionFromForm,
  speakOfFields,
  type FieldIssue,
  type FieldValue,
  type FormValues,
  type MappedIssues,
} from '../model/settings-form.js';

interface SettingsData {
  readonly info: AppInfo;
  readonly sources: readonly SourceInfo[];
  readonly config: EditableConfig;
}

/** `generation`: counts returns of the live channel after a gap (app.tsx); each reads the sections again, keeping unsaved edits. */
export function SettingsView(props: { readonly params: URLSearchParams; readonly generation?: number }) {
  const client = useClient();
  const { load, reload, update } = useLoad(async (): Promise<SettingsData> => {
    const [info, sources, config] = await Promise.all([client.info(), client.sources(), client.config()]);
    return { info, sources, config };
  }, [client]);
  // Another window (or the file) changed the configuration: show the sections as they now are.
  // Forms reset only where their own section changed (see SourceSettingsForm).
  useLiveEvents((event) => {
    if (event.type !== 'config') return;
    update((data) => ({ ...data, sources: event.sources }));
    client.config().then(
      (config) => update((data) => ({ ...data, config })),
      () => undefined, // the sections shown stay; the next save reports any problem
    );
  });
  // Back after a gap: config events may have been missed. Forms reset only where their own section changed.
  const generation = props.generation ?? 0;
  useEffect(() => {
    if (generation === 0) return;
    Promise.all([client.info(), client.sources(), client.config()]).then(
      ([info, sources, config]) => update((data) => ({ ...data, info, sources, config })),
      () => undefined, // the sections shown stay; the next save reports any problem
    );
  }, [generation]);
  // Sources whose new form is open; opening another keeps the ones already open (and what they hold).
  const [adding, setAdding] = useState<readonly string[]>(() => [props.params.get('add')].filter((id): id is string => Boolean(id)));

  if (load.status === 'loading') return <Loading what="settings" />;
  if (load.status === 'error') return <ErrorNotice error={load.error} onRetry={reload} />;
  const { info, sources, config } = load.data;
  const readOnly = !info.canEditConfig;

  /** After a save or removal: the sections as the core now has them (secrets masked again), and the file a first save created. */
  const refreshConfig = async () => {
    const [nextInfo, next] = await Promise.all([client.info(), client.config()]);
    update((data) => ({ ...data, info: nextInfo, config: next }));
  };

  const shown = sources.filter((source) => config.sources[source.id] !== undefined || adding.includes(source.id));
  const addable = sources.filter((source) => config.sources[source.id] === undefined && !adding.includes(source.id));

  return (
    <div className="settings">
      <h1>Settings</h1>
      <AppSection info={info} />
      {readOnly ? (
        <p className="notice" data-testid="read-only-notice">
          These settings are read-only here: {info.configFile ? <>the configuration comes from <code>{info.configFile}</code>, which </> : 'the configuration '}
          Footprint was started with and does not write to. Edit the file itself; Footprint picks up the change when it restarts.
        </p>
      ) : null}
      <div className="settings-sources">
        {shown.map((source) => (
          <SourceSettingsForm
            key={source.id}
            source={source}
            settings={config.sources[source.id] ?? null}
            info={info}
            readOnly={readOnly}
            onChanged={refreshConfig}
            onCancelAdd={() => setAdding((ids) => ids.filter((id) => id !== source.id))}
          />
        ))}
      </div>
      {addable.length > 0 && !readOnly ? (
        <section className="panel" aria-labelledby="add-source-title">
          <h2 id="add-source-title">Add a source</h2>
          <ul className="add-list">
            {addable.map((source) => (
              <li key={source.id}>
                <button type="button" onClick={() => setAdding((ids) => [...ids, source.id])} data-testid={`add-source-${source.id}`}>
                  Add {source.title}
                </button>{' '}
                <span className="hint">{sourceFormFor(source)?.pitch ?? ''}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** A file path that wraps only after a folder separator, never inside a name. */
function PathText(props: { readonly path: string }) {
  const parts = props.path.split(/(?<=[/\\])/);
  return (
    <code className="path">
      {parts.map((part, index) => (
        <span key={index}>
          {part}
          {index < parts.length - 1 ? <wbr /> : null}
        </span>
      ))}
    </code>
  );
}

function AppSection(props: { readonly info: AppInfo }) {
  const { info } = props;
  return (
    <section className="panel" aria-labelledby="app-settings-title">
      <h2 id="app-settings-title">Footprint</h2>
      <dl className="facts">
        <dt>Prometheus endpoint</dt>
        <dd>
          {info.metricsProblem ? (
            <span className="notice notice-error" role="alert" data-testid="metrics-problem">Not serving: {info.metricsProblem}</span>
          ) : info.metricsUrl ? (
            <>
              <span data-testid="metrics-url"><PathText path={info.metricsUrl} /></span> <CopyButton text={info.metricsUrl} label="Copy address" testId="copy-metrics-url" />
            </>
          ) : (
            <span data-testid="metrics-url">off (set server.listen in the configuration file to serve /metrics)</span>
          )}
        </dd>
        <dt>Configuration file</dt>
        <dd>
          <span data-testid="config-file">
            {info.configFile ? <PathText path={info.configFile} /> : <>none yet; saving creates <PathText path={info.defaultConfigFile} /></>}
          </span>
        </dd>
        <dt>Version</dt>
        <dd>{info.version}</dd>
      </dl>
      {info.secretStorageWarning ? (
        <p className="notice notice-warning" data-testid="secret-warning">
          {info.secretStorageWarning}
        </p>
      ) : null}
    </section>
  );
}

type SaveState = { readonly state: 'idle' | 'saving' } | { readonly state: 'saved' | 'failed'; readonly message: string };
type TestState = { readonly state: 'idle' | 'testing' } | { readonly state: 'done'; readonly result: ConnectionTest };

function SourceSettingsForm(props: {
  readonly source: SourceInfo;
  readonly settings: SectionSettings | null;
  readonly info: AppInfo;
  readonly readOnly: boolean;
  readonly onChanged: () => Promise<void>;
  readonly onCancelAdd: () => void;
}) {
  const client = useClient();
  const { source, settings, readOnly, info } = props;
  const form = sourceFormFor(source);
  const fields = form?.fields ?? [];
  const [values, setValues] = useState<FormValues>(() => formFromSettings(fields, settings));
  const [issues, setIssues] = useState<MappedIssues | null>(null);
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const [test, setTest] = useState<TestState>({ state: 'idle' });
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [open, setOpen] = useState(true);
  const headingId = useId();

  // A saved section comes back from the core (secrets masked): the form shows what is now stored.
  // Keyed by content, so reloading the whole config does not wipe unsaved edits of other sources.
  // Adjusted while rendering, not in an effect: an effect also ran once after the first render and,
  // when it ran late (a busy machine), wiped what was typed in between.
  const settingsKey = `${source.id}\n${JSON.stringify(settings)}`;
  const [shownKey, setShownKey] = useState(settingsKey);
  if (shownKey !== settingsKey) {
    setShownKey(settingsKey);
    setValues(formFromSettings(fields, settings));
  }

  const setField = (key: string, value: FieldValue) => setValues((current) => ({ ...current, [key]: value }));
  const isNew = settings === null;
  const unsaved = form !== null && !readOnly && hasUnsavedEdits(fields, values, settings);
  useLeaveGuard(unsaved);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const compacted = compactForm(values);
    setValues(compacted);
    setSave({ state: 'saving' });
    setIssues(null);
    try {
      const result = await client.saveSource(source.id, sectionFromForm(fields, compacted, settings));
      if (result.ok) {
        setSave({ state: 'saved', message: `Saved. ${source.title} now polls with these settings.` });
        await props.onChanged();
      } else {
        const mapped = mapIssues(source.id, fields, result.issues);
        setIssues(mapped);
        setSave({ state: 'failed', message: `Not saved: ${result.issues.length === 1 ? 'one problem' : `${result.issues.length} problems`} to fix.` });
      }
    } catch (error) {
      setSave({ state: 'failed', message: `Not saved: ${errorMessage(error)}` });
    }
  };

  const testConnection = async () => {
    setTest({ state: 'testing' });
    try {
      const result = await client.testConnection(source.id, sectionFromForm(fields, compactForm(values), settings));
      setTest({ state: 'done', result: { ...result, message: speakOfFields(result.message, source.id, fields) } });
    } catch (error) {
      setTest({ state: 'done', result: { ok: false, message: errorMessage(error) } });
    }
  };

  const remove = async () => {
    setConfirmRemove(false);
    setSave({ state: 'saving' });
    try {
      const result = await client.saveSource(source.id, null);
      if (result.ok) {
        setSave({ state: 'saved', message: `${source.title} removed.` });
        await props.onChanged();
      } else {
        setSave({ state: 'failed', message: `Not removed: ${result.issues.map((issue) => issue.message).join('; ')}` });
      }
    } catch (error) {
      setSave({ state: 'failed', message: `Not removed: ${errorMessage(error)}` });
    }
  };

  return (
    <section className="panel source-settings" aria-labelledby={headingId} data-testid={`settings-${source.id}`}>
      <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary data-testid="section-toggle">
        <h2 id={headingId}>
          {source.title}
          {isNew ? <span className="hint"> (new)</span> : null}
        </h2>
        {unsaved ? <span className="unsaved" data-testid="unsaved-mark">Not saved yet</span> : null}
      </summary>
      {form ? <p className="hint">{form.pitch}</p> : null}
      {!form ? (
        <p className="notice">This source is edited in the configuration file; the app has no form for it yet.</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <fieldset disabled={readOnly} className="plain">
            <legend className="sr-only">{source.title} settings</legend>
            {issues && issues.general.length > 0 ? (
              <ul className="notice notice-error" role="alert" data-testid="general-issues">
                {issues.general.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            ) : null}
            <div className="source-fields">
              {fields.filter((field) => isFieldShown(field, values)).map((field) => (
                <FieldEditor
                  key={field.key}
                  sourceId={source.id}
                  field={field}
                  info={info}
                  value={values[field.key]!}
                  issues={issues?.byField.get(field.key) ?? []}
                  disabled={readOnly}
                  onChange={(value) => setField(field.key, value)}
                />
              ))}
            </div>
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={readOnly || save.state === 'saving'} data-testid="save-source">
              {save.state === 'saving' ? 'Saving…' : isNew ? `Add ${source.title}` : 'Save'}
            </button>
            <button type="button" onClick={testConnection} disabled={test.state === 'testing'} data-testid="test-connection">
              {test.state === 'testing' ? 'Testing…' : 'Test connection'}
            </button>
            {isNew ? (
              <button type="button" onClick={props.onCancelAdd}>
                Cancel
              </button>
            ) : confirmRemove ? (
              <>
                <button type="button" className="danger" onClick={remove} data-testid="confirm-remove">
                  Remove {source.title} for good
                </button>
                <button type="button" onClick={() => setConfirmRemove(false)}>
                  Keep it
                </button>
              </>
            ) : (
              <button type="button" className="danger" disabled={readOnly} onClick={() => setConfirmRemove(true)} data-testid="remove-source">
                Remove…
              </button>
            )}
          </div>
          <p role="status" className={`save-result save-${save.state}`} data-testid="save-result">
            {save.state === 'saved' || save.state === 'failed' ? save.message : ''}
          </p>
          <p role="status" className={test.state === 'done' ? (test.result.ok ? 'connection ok' : 'connection failed') : 'connection'} data-testid="connection-result">
            {test.state === 'done' ? (
              <>
                <span aria-hidden="true">{test.result.ok ? '✓ ' : '✗ '}</span>
                {test.result.message}
              </>
            ) : (
              ''
            )}
          </p>
        </form>
      )}
      </details>
    </section>
  );
}

function IssueText(props: { readonly id: string; readonly issues: readonly FieldIssue[] }) {
  if (props.issues.length === 0) return null;
  return (
    <span id={props.id} className="field-issue" role="alert" data-testid="field-issue">
      {props.issues.map((issue) => issue.message).join(' ')}
    </span>
  );
}

function FieldEditor(props: {
  readonly sourceId: string;
  readonly field: FieldSpec;
  readonly info: AppInfo;
  readonly value: FieldValue;
  readonly issues: readonly FieldIssue[];
  readonly disabled: boolean;
  readonly onChange: (value: FieldValue) => void;
}) {
  const { field, value } = props;
  const id = useId();
  const testId = `settings-${props.sourceId}-${field.key}`;
  const wholeFieldIssues = props.issues.filter((issue) => issue.index === null);
  const helpId = `${id}-help`;
  const issueId = `${id}-issue`;
  const secretHint = field.kind === 'secret' ? secretFieldHint(field, props.info) : null;
  const describedBy = [field.help || secretHint ? helpId : null, wholeFieldIssues.length > 0 ? issueId : null].filter(Boolean).join(' ') || undefined;

  if (value.kind === 'list') {
    return <ListEditor {...props} value={value} testId={testId} />;
  }
  if (value.kind === 'entries') {
    return <EntriesEditor field={field} entries={value.entries} testId={`settings-${props.sourceId}-entries`} issues={props.issues} disabled={props.disabled} onChange={(entries) => props.onChange({ kind: 'entries', entries })} />;
  }
  if (field.kind === 'choice' && value.kind === 'text') {
    return (
      <fieldset className="field choice-field" data-testid={testId}>
        <legend>{field.label}</legend>
        {(field.choices ?? []).map((choice) => (
          <label key={choice.value} className="toggle">
            <input
              type="radio"
              name={id}
              value={choice.value}
              disabled={props.disabled}
              checked={value.text === choice.value}
              onChange={() => props.onChange({ kind: 'text', text: choice.value })}
              data-testid={`${testId}-${choice.value}`}
            />
            {choice.label}
          </label>
        ))}
      </fieldset>
    );
  }
  if (value.kind === 'flags') {
    return (
      <fieldset className="field" data-testid={testId}>
        <legend>{field.label}</legend>
        {(field.flags ?? []).map((flag) => (
          <label key={flag.key} className="toggle">
            <input type="checkbox" disabled={props.disabled} checked={value.flags[flag.key] ?? flag.default} onChange={(event) => props.onChange({ kind: 'flags', flags: { ...value.flags, [flag.key]: event.target.checked } })} />
            {flag.label}
          </label>
        ))}
        <IssueText id={issueId} issues={wholeFieldIssues} />
      </fieldset>
    );
  }
  const secret = field.kind === 'secret';
  // A ${VAR} reference is a name, not a secret: shown as text so it can be read and checked.
  const masked = secret && !isVariableReference(value.text);
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      <input
        id={id}
        type={masked ? 'password' : field.kind === 'url' ? 'url' : 'text'}
        value={value.text}
        disabled={props.disabled}
        placeholder={field.placeholder}
        autoComplete={secret ? 'off' : undefined}
        spellCheck={false}
        aria-invalid={wholeFieldIssues.length > 0 || undefined}
        aria-describedby={describedBy}
        onChange={(event) => props.onChange({ kind: 'text', text: event.target.value })}
        data-testid={testId}
      />
      {field.help || secretHint ? (
        <span id={helpId} className="hint">
          {secret && isStoredSecret(value.text) ? 'A token is stored: leave this as it is to keep it, or clear it to remove it. ' : ''}
          {field.help ?? ''}
          {secretHint ? <span className="secret-hint" data-testid="secret-hint">{` ${secretHint}`}</span> : null}
        </span>
      ) : null}
      {field.upload ? <KeyFileUpload sourceId={props.sourceId} field={field} upload={field.upload} disabled={props.disabled} onStored={(path) => props.onChange({ kind: 'text', text: path })} /> : null}
      <IssueText id={issueId} issues={wholeFieldIssues} />
    </div>
  );
}

type UploadState = { readonly state: 'idle' | 'uploading' } | { readonly state: 'stored' | 'failed'; readonly message: string };

/** Sends a key file picked in the browser to the core, which checks and stores it; the field then names the stored file. */
function KeyFileUpload(props: {
  readonly sourceId: string;
  readonly field: FieldSpec;
  readonly upload: NonNullable<FieldSpec['upload']>;
  readonly disabled: boolean;
  readonly onStored: (path: string) => void;
}) {
  const client = useClient();
  const [upload, setUpload] = useState<UploadState>({ state: 'idle' });
  const id = useId();
  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setUpload({ state: 'uploading' });
    try {
      const result = await client.uploadKeyFile(props.sourceId, await file.text());
      if (result.ok) {
        props.onStored(result.path);
        setUpload({ state: 'stored', message: `Stored as ${result.path} (${result.account}), readable only by you. Save to use it.` });
      } else {
        setUpload({ state: 'failed', message: result.issues.map((issue) => issue.message).join(' ') });
      }
    } catch (error) {
      setUpload({ state: 'failed', message: errorMessage(error) });
    } finally {
      input.value = ''; // the same file again is a new upload
    }
  };
  return (
    <div className="key-upload">
      <input id={id} type="file" className="sr-only" accept={props.upload.accept} disabled={props.disabled || upload.state === 'uploading'} onChange={pick} data-testid={`settings-${props.sourceId}-${props.field.key}-upload`} />
      <label htmlFor={id} className="button">
        {upload.state === 'uploading' ? 'Uploading…' : props.upload.label}
      </label>
      <span role="status" className={`hint upload-${upload.state}`} data-testid="upload-result">
        {upload.state === 'stored' || upload.state === 'failed' ? upload.message : ''}
      </span>
    </div>
  );
}

function ListEditor(props: {
  readonly field: FieldSpec;
  readonly value: Extract<FieldValue, { kind: 'list' }>;
  readonly issues: readonly FieldIssue[];
  readonly disabled: boolean;
  readonly onChange: (value: FieldValue) => void;
  readonly testId: string;
}) {
  const { field, value } = props;
  const id = useId();
  const noun = field.itemNoun ?? 'entry';
  const items = value.items;
  // The add-field's text lives in the form's values, so Save saves it even when "Add" was not clicked.
  const draft = value.draft ?? '';
  const setItems = (next: readonly string[]) => props.onChange({ kind: 'list', items: next, draft });
  const setDraft = (next: string) => props.onChange({ kind: 'list', items, draft: next });
  const add = () => {
    const entries = draftEntries(draft, items);
    if (entries.length === 0) return;
    props.onChange({ kind: 'list', items: [...items, ...entries], draft: '' });
  };
  const onDraftKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };
  const wholeListIssues = props.issues.filter((issue) => issue.index === null || issue.index >= items.length);
  return (
    <fieldset className="field list-field" data-testid={props.testId}>
      <legend>{field.label}</legend>
      {items.length === 0 ? <p className="hint">None yet.</p> : null}
      <ul>
        {items.map((item, index) => {
          const itemIssues = props.issues.filter((issue) => issue.index === index);
          const issueId = `${id}-issue-${index}`;
          return (
            <li key={index} className={itemIssues.length > 0 ? 'has-issue' : undefined}>
              <input
                type="text"
                value={item}
                disabled={props.disabled}
                aria-label={`${noun} ${index + 1}`}
                spellCheck={false}
                aria-invalid={itemIssues.length > 0 || undefined}
                aria-describedby={itemIssues.length > 0 ? issueId : undefined}
                onChange={(event) => setItems(items.map((entry, at) => (at === index ? event.target.value : entry)))}
                data-testid="list-item"
              />
              <button type="button" disabled={props.disabled} onClick={() => setItems(items.filter((_, at) => at !== index))} aria-label={`Remove ${noun} ${item}`}>
                Remove
              </button>
              <IssueText id={issueId} issues={itemIssues} />
            </li>
          );
        })}
      </ul>
      <div className="list-add">
        <label htmlFor={`${id}-add`} className="sr-only">
          Add {noun}
        </label>
        <input id={`${id}-add`} type="text" disabled={props.disabled} value={draft} placeholder={field.placeholder} spellCheck={false} onChange={(event) => setDraft(event.target.value)} onKeyDown={onDraftKey} data-testid="list-add-input" />
        <button type="button" disabled={props.disabled} onClick={add} data-testid="list-add">
          Add {noun}
        </button>
      </div>
      {field.help ? <span className="hint">{field.help}</span> : null}
      <IssueText id={`${id}-issue`} issues={wholeListIssues} />
    </fieldset>
  );
}
