// The project list of the active profile: one request, then instant client-side search and sort.
import { asApiError, type ApiError, type Api, type ProjectRow } from './types';
import { cloudLabel, planLabel } from './format';
import type { LoadStatus } from './session.svelte';

export type SortKey = 'name' | 'created' | 'region' | 'plan';
export type SortDir = 'asc' | 'desc';

interface Indexed {
  row: ProjectRow;
  /** Lower-cased text that search matches against: name, id, tenant id, region, slug. */
  haystack: string;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function compare(a: ProjectRow, b: ProjectRow, key: SortKey): number {
  switch (key) {
    case 'name':
      return collator.compare(a.name, b.name);
    case 'created': {
      const d = (Date.parse(a.createdAt) || 0) - (Date.parse(b.createdAt) || 0);
      return d !== 0 ? d : collator.compare(a.name, b.name);
    }
    case 'region': {
      const ra = `${a.region ?? ''} ${cloudLabel(a.cloud)}`;
      const rb = `${b.region ?? ''} ${cloudLabel(b.cloud)}`;
      return collator.compare(ra, rb) || collator.compare(a.name, b.name);
    }
    case 'plan':
      return collator.compare(planLabel(a.plan), planLabel(b.plan)) || collator.compare(a.name, b.name);
  }
}

export class ProjectsStore {
  rows = $state.raw<ProjectRow[]>([]);
  status = $state<LoadStatus>('idle');
  error = $state.raw<ApiError | null>(null);
  /**
   * Set while the rows shown are the list kept from an earlier visit, because Hasura Cloud could
   * not be reached: when it was fetched, and why the fresh one failed.
   */
  offline = $state.raw<{ fetchedAt: string; error: ApiError } | null>(null);
  query = $state('');
  sortKey = $state<SortKey>('name');
  sortDir = $state<SortDir>('asc');

  #api: Api;
  #seq = 0;

  constructor(api: Api) {
    this.#api = api;
  }

  #indexed = $derived<Indexed[]>(
    this.rows.map((row) => ({
      row,
      haystack: [row.name, row.id, row.tenantId, row.region, row.slug, row.cloud]
        .filter(Boolean)
        .join('\n')
        .toLowerCase(),
    })),
  );

  #sorted = $derived.by<Indexed[]>(() => {
    const key = this.sortKey;
    const dir = this.sortDir === 'asc' ? 1 : -1;
    return [...this.#indexed].sort((a, b) => dir * compare(a.row, b.row, key));
  });

  /** Sorted rows that match the search (every word must match). */
  visible = $derived.by<ProjectRow[]>(() => {
    const words = this.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.#sorted.map((i) => i.row);
    const out: ProjectRow[] = [];
    for (const item of this.#sorted) {
      if (words.every((w) => item.haystack.includes(w))) out.push(item.row);
    }
    return out;
  });

  get total(): number {
    return this.rows.length;
  }

  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.status = 'loading';
    this.error = null;
    try {
      const rows = await this.#api.listProjects();
      if (seq !== this.#seq) return;
      this.rows = rows;
      this.offline = null;
      this.status = 'ready';
    } catch (e) {
      if (seq !== this.#seq) return;
      const error = asApiError(e);
      if (await this.#showKeptList(error, seq)) return;
      this.error = error;
      this.status = 'error';
    }
  }

  /** Unreachable with nothing shown yet: show the list kept from last time, read-only. */
  async #showKeptList(error: ApiError, seq: number): Promise<boolean> {
    if (error.kind !== 'network' && error.kind !== 'timeout') return false;
    if (this.rows.length > 0 && !this.offline) return false;
    let kept;
    try {
      kept = await this.#api.cachedProjects();
    } catch {
      return false;
    }
    if (!kept || seq !== this.#seq) return false;
    this.rows = kept.rows;
    this.offline = { fetchedAt: kept.fetchedAt, error };
    this.error = null;
    this.status = 'ready';
    return true;
  }

  /** Loads once; later visits keep the list until a refresh. */
  ensureLoaded(): void {
    if (this.status === 'idle') void this.load();
  }

  setSort(key: SortKey): void {
    if (this.sortKey === key) {
      this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
    } else {
      this.sortKey = key;
      this.sortDir = key === 'created' ? 'desc' : 'asc';
    }
  }

  find(id: string): ProjectRow | null {
    return this.rows.find((r) => r.id === id) ?? null;
  }

  upsert(row: ProjectRow): void {
    const i = this.rows.findIndex((r) => r.id === row.id);
    this.rows = i === -1 ? [...this.rows, row] : this.rows.map((r, j) => (j === i ? row : r));
  }

  patch(id: string, changes: Partial<ProjectRow>): void {
    if (!this.rows.some((r) => r.id === id)) return;
    this.rows = this.rows.map((r) => (r.id === id ? { ...r, ...changes } : r));
  }

  remove(id: string): void {
    this.rows = this.rows.filter((r) => r.id !== id);
  }

  /** Forget everything (another profile became active). */
  reset(): void {
    this.#seq++;
    this.rows = [];
    this.status = 'idle';
    this.error = null;
    this.offline = null;
    this.query = '';
  }
}
