// The env editor's state for one project (tenant id). The draft itself lives in the app (Rust);
// this holds the last draft it returned plus view state: search, sort, which value is revealed.
// Rows are rebuilt once per draft (O(n)); search filters precomputed lower-case keys (O(n)).
import { asApiError, type ApiError, type Api, type EnvDraft, type EnvEdit, type EnvIssue } from './types';
import { buildRows, filterRows, type EnvRow } from './env-rows';
import type { LoadStatus } from './session.svelte';

export type KeySort = 'asc' | 'desc';

export class EnvStore {
  readonly tenantId: string;
  draft = $state.raw<EnvDraft | null>(null);
  status = $state<LoadStatus>('idle');
  /** Why the draft could not be loaded. */
  error = $state.raw<ApiError | null>(null);
  /** Requests in flight that change the draft (stage, unstage, reload, discard…). */
  pending = $state(0);
  query = $state('');
  sortDir = $state<KeySort>('asc');
  /** The one key whose value is shown; every other value is masked. */
  revealed = $state<string | null>(null);

  #api: Api;
  #seq = 0;

  constructor(api: Api, tenantId: string) {
    this.#api = api;
    this.tenantId = tenantId;
  }

  /** Every row, sorted by key ascending. */
  rows = $derived<EnvRow[]>(buildRows(this.draft));

  #sorted = $derived<EnvRow[]>(this.sortDir === 'asc' ? this.rows : [...this.rows].reverse());

  /** The rows the table shows: sorted, filtered by the search. */
  visible = $derived<EnvRow[]>(filterRows(this.#sorted, this.query));

  stagedCount = $derived(this.draft?.changes.length ?? 0);

  errors = $derived<EnvIssue[]>(this.draft?.issues.filter((i) => i.severity === 'error') ?? []);
  warnings = $derived<EnvIssue[]>(this.draft?.issues.filter((i) => i.severity === 'warning') ?? []);

  get total(): number {
    return this.rows.length;
  }

  #liveKeys = $derived(new Set(this.rows.filter((r) => r.state !== 'removed').map((r) => r.key)));

  /** Whether the key exists after apply (a base key not being removed, or an addition). */
  hasKey(key: string): boolean {
    return this.#liveKeys.has(key);
  }

  /** Takes a draft any command returned (resolve, import, copy…). */
  setDraft(draft: EnvDraft): void {
    this.#seq++;
    this.draft = draft;
    this.status = 'ready';
    this.error = null;
  }

  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.status = 'loading';
    this.error = null;
    try {
      const draft = await this.#api.envLoad(this.tenantId);
      if (seq !== this.#seq) return;
      this.draft = draft;
      this.status = 'ready';
    } catch (e) {
      if (seq !== this.#seq) return;
      this.error = asApiError(e);
      this.status = 'error';
    }
  }

  /** Runs a draft-returning command; returns the error instead of throwing. */
  async #change(request: () => Promise<EnvDraft>): Promise<ApiError | null> {
    const seq = ++this.#seq;
    this.pending++;
    try {
      const draft = await request();
      if (seq === this.#seq) {
        this.draft = draft;
        this.status = 'ready';
      }
      return null;
    } catch (e) {
      return asApiError(e);
    } finally {
      this.pending--;
    }
  }

  reload(): Promise<ApiError | null> {
    return this.#change(() => this.#api.envReload(this.tenantId));
  }

  stage(edits: EnvEdit[]): Promise<ApiError | null> {
    return this.#change(() => this.#api.envStage(this.tenantId, edits));
  }

  unstage(keys: string[]): Promise<ApiError | null> {
    return this.#change(() => this.#api.envUnstage(this.tenantId, keys));
  }

  discard(): Promise<ApiError | null> {
    return this.#change(() => this.#api.envDiscard(this.tenantId));
  }

  restore(snapshotId: number): Promise<ApiError | null> {
    return this.#change(() => this.#api.envRestore(this.tenantId, snapshotId));
  }

  toggleReveal(key: string): void {
    this.revealed = this.revealed === key ? null : key;
  }

  setSort(dir?: KeySort): void {
    this.sortDir = dir ?? (this.sortDir === 'asc' ? 'desc' : 'asc');
  }
}
