// The FootprintApi the app's windows get over IPC: the core's CoreApi, plus what only the desktop
// app knows — secrets typed into Settings go to the OS keychain (SecretVault) instead of the file,
// AppInfo carries the app's own notes (secret storage, a busy /metrics port), and pausing everything
// goes through the app's PauseControl.
import type {
  AppInfo, BackfillProgress, KeyFileResult, ChartMarker, ConnectionTest, EditableConfig, FootprintApi, LatestSeries, LiveEvent, MarkersRequest,
  RangeRequest, RangeResult, RangeSumsRequest, RangeSumsResult, SaveResult, SeriesChanges, RemoteWriteStatus, SourceHealth, SourceInfo, SectionSettings,
} from '../../../shared/api.js';
import type { OverviewResult } from '../../../shared/overview.js';
import type { CoreApi } from '../../core/api.js';
import type { SecretVault } from '../settings/secret-vault.js';
import { maskStoredReferences } from '../settings/secret-vault.js';

/** AppInfo with the desktop app's extra field: why /metrics is not served, in plain words. */
export interface ShellAppInfo extends AppInfo {
  readonly metricsProblem: string | null;
}

export interface ShellApiOptions {
  readonly vault: SecretVault;
  /** Why the metrics endpoint is not running although enabled (e.g. the port is busy); null when fine or off. */
  readonly metricsProblem: () => string | null;
  /** How safe the app's secret storage is (Linux without a keyring, no encryption at all). */
  readonly secretStorageWarning: () => string | null;
  /** Pausing or resuming every source goes through the app's PauseControl, so the tray and the sleep/offline pauses agree with it. */
  readonly pauseAll: () => void;
  readonly resumeAll: () => void;
}

/** The core's API, with the save that tells which secrets the vault took from what the user typed. */
export type VaultAwareApi = FootprintApi & Pick<CoreApi, 'saveSourceFromVault'>;

export class ShellApi implements FootprintApi {
  private readonly inner: VaultAwareApi;
  private readonly options: ShellApiOptions;

  constructor(inner: VaultAwareApi, options: ShellApiOptions) {
    this.inner = inner;
    this.options = options;
  }

  async info(): Promise<ShellAppInfo> {
    const info = await this.inner.info();
    const notes = [info.secretStorageWarning, this.options.secretStorageWarning()].filter((note): note is string => Boolean(note));
    // Typed secrets go to the vault (the OS keychain), the file gets a reference.
    return { ...info, secretStorageWarning: notes.length > 0 ? notes.join('\n') : null, metricsProblem: this.options.metricsProblem(), secretStore: 'keychain' };
  }

  sources(): Promise<SourceInfo[]> {
    return this.inner.sources();
  }

  latest(filter?: { source?: string; metric?: string }): Promise<LatestSeries[]> {
    return filter === undefined ? this.inner.latest() : this.inner.latest(filter);
  }

  range(request: RangeRequest): Promise<RangeResult> {
    return this.inner.range(request);
  }

  rangeSums(request: RangeSumsRequest): Promise<RangeSumsResult> {
    return this.inner.rangeSums(request);
  }

  overview(): Promise<OverviewResult> {
    return this.inner.overview();
  }

  changes(series: readonly number[], windowsMs: readonly number[]): Promise<SeriesChanges[]> {
    return this.inner.changes(series, windowsMs);
  }

  health(): Promise<SourceHealth[]> {
    return this.inner.health();
  }

  remoteWrite(): Promise<RemoteWriteStatus[]> {
    return this.inner.remoteWrite();
  }

  async config(): Promise<EditableConfig> {
    const config = await this.inner.config();
    const known = this.options.vault.names();
    return { sources: Object.fromEntries(Object.entries(config.sources).map(([id, settings]) => [id, maskStoredReferences(settings, known)])) };
  }

  async saveSource(source: string, settings: SectionSettings | null): Promise<SaveResult> {
    const prepared = await this.options.vault.protect(source, settings);
    if (!prepared.ok) return { ok: false, issues: prepared.issues };
    let result: SaveResult;
    try {
      result = await this.inner.saveSourceFromVault(source, prepared.settings, prepared.typed);
    } catch (error) {
      prepared.rollback();
      throw error;
    }
    if (!result.ok) {
      prepared.rollback();
      return result;
    }
    prepared.commit((await this.inner.config()).sources[source] ?? null);
    return result;
  }

  /** The key file goes beside the configuration as in `footprint serve` (0600): the keychain holds short secrets, the file names it. */
  uploadKeyFile(source: string, text: string): Promise<KeyFileResult> {
    return this.inner.uploadKeyFile(source, text);
  }

  testConnection(source: string, settings: SectionSettings): Promise<ConnectionTest> {
    return this.inner.testConnection(source, settings);
  }

  refresh(source?: string): Promise<void> {
    return source === undefined ? this.inner.refresh() : this.inner.refresh(source);
  }

  async pause(source?: string): Promise<void> {
    if (source === undefined) this.options.pauseAll();
    else await this.inner.pause(source);
  }

  async resume(source?: string): Promise<void> {
    if (source === undefined) this.options.resumeAll();
    else await this.inner.resume(source);
  }

  backfill(): Promise<BackfillProgress[]> {
    return this.inner.backfill();
  }

  pauseBackfill(source?: string): Promise<void> {
    return source === undefined ? this.inner.pauseBackfill() : this.inner.pauseBackfill(source);
  }

  resumeBackfill(source?: string): Promise<void> {
    return source === undefined ? this.inner.resumeBackfill() : this.inner.resumeBackfill(source);
  }

  rerunBackfill(source?: string): Promise<void> {
    return source === undefined ? this.inner.rerunBackfill() : this.inner.rerunBackfill(source);
  }

  markers(request: MarkersRequest): Promise<ChartMarker[]> {
    return this.inner.markers(request);
  }

  subscribe(onEvent: (event: LiveEvent) => void): () => void {
    return this.inner.subscribe(onEvent);
  }
}
