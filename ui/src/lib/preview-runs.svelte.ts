// The preview-app runs of the active profile, as the app's watcher reports them. The watch lives in
// Rust; this store only mirrors it: previewRuns() once, then every previewRunChanged event. So
// leaving the screen and coming back shows the same live state.
import { asApiError, type ApiError, type Api, type PreviewRun, type Unlisten } from './types';
import type { LoadStatus } from './session.svelte';

export interface RunEntry {
  run: PreviewRun;
  /** When this window received the snapshot (its own clock): running durations tick from here. */
  receivedAt: number;
}

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

export class PreviewRunsStore {
  entries = $state.raw<RunEntry[]>([]);
  status = $state<LoadStatus>('idle');
  error = $state.raw<ApiError | null>(null);

  #api: Api;
  #profileId: () => string | null;
  #unlisten: Unlisten | null = null;
  #stopped = false;

  constructor(api: Api, profileId: () => string | null) {
    this.#api = api;
    this.#profileId = profileId;
  }

  get runs(): PreviewRun[] {
    return this.entries.map((e) => e.run);
  }

  get(id: string): RunEntry | null {
    return this.entries.find((e) => e.run.id === id) ?? null;
  }

  /** Listens first, then loads, so no change between the two is missed. Returns `stop`. */
  start(): () => void {
    this.#stopped = false;
    this.#api
      .onPreviewRunChanged((run) => this.upsert(run))
      .then((fn) => {
        if (this.#stopped) fn();
        else this.#unlisten = fn;
      })
      .catch(() => {
        // No event channel (outside Tauri): the list still loads; refresh shows later states.
      });
    void this.load();
    return () => this.stop();
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = null;
  }

  async load(): Promise<void> {
    this.status = 'loading';
    this.error = null;
    try {
      const runs = await this.#api.previewRuns();
      for (const run of runs) this.upsert(run);
      this.status = 'ready';
    } catch (e) {
      this.error = asApiError(e);
      this.status = 'error';
    }
  }

  /** A newer snapshot replaces an older one; runs of another profile are ignored. */
  upsert(run: PreviewRun): void {
    const profile = this.#profileId();
    if (profile !== null && run.profileId && run.profileId !== profile) return;
    const entry: RunEntry = { run, receivedAt: Date.now() };
    const i = this.entries.findIndex((e) => e.run.id === run.id);
    if (i === -1) {
      this.entries = [...this.entries, entry].sort((a, b) => time(b.run.startedAt) - time(a.run.startedAt));
      return;
    }
    const old = this.entries[i]!.run;
    const dt = time(run.updatedAt) - time(old.updatedAt);
    if (dt < 0 || (dt === 0 && run.polls < old.polls)) return;
    this.entries = this.entries.map((e, j) => (j === i ? entry : e));
  }

  remove(id: string): void {
    this.entries = this.entries.filter((e) => e.run.id !== id);
  }

  /** Follow a creation job (from the list, or again after the watcher gave up). */
  async watch(jobId: string): Promise<PreviewRun> {
    const run = await this.#api.previewWatch(jobId);
    this.upsert(run);
    return run;
  }

  async dismiss(jobId: string): Promise<void> {
    await this.#api.previewDismiss(jobId);
    this.remove(jobId);
  }
}
