// Pure helpers of the env editor: the table's rows built once per draft, and an O(n) filter over
// precomputed lower-case keys, so that typing in the search box of a 10,000-row table repaints
// within a frame. Rows are plain frozen-shape objects (no per-row reactive state).
import type { ChangeKind, EnvChange, EnvDraft, EnvIssue } from './types';

export type RowState = ChangeKind | 'unchanged';

export interface EnvRow {
  key: string;
  /** `key.toLowerCase()`, computed once per draft for search and sort. */
  lower: string;
  /** What the project will have after apply: the staged value, or the base value. */
  value: string;
  /** The value in Hasura Cloud now (null for an added key). */
  baseValue: string | null;
  state: RowState;
  isJson: boolean;
  secretLike: boolean;
  issues: readonly EnvIssue[];
  /** The worst issue severity for this key, if any. */
  severity: 'error' | 'warning' | null;
}

const NO_ISSUES: readonly EnvIssue[] = Object.freeze([]);

export const MASK = '••••••••';

/** Key order: case-insensitive, then by code units (stable and the same on every OS). */
export function compareKeys(a: EnvRow, b: EnvRow): number {
  if (a.lower !== b.lower) return a.lower < b.lower ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The table's rows for a draft: base variables merged with staged changes, sorted by key. */
export function buildRows(draft: EnvDraft | null): EnvRow[] {
  if (!draft) return [];
  const changes = new Map<string, EnvChange>();
  for (const c of draft.changes) changes.set(c.key, c);
  const issues = new Map<string, EnvIssue[]>();
  for (const i of draft.issues) {
    const list = issues.get(i.key);
    if (list) list.push(i);
    else issues.set(i.key, [i]);
  }

  // Whether a staged value looks secret is Rust's to say (one rule, in app-core's env::issues).
  const secretStaged = new Set(draft.secretStaged);
  const rows: EnvRow[] = [];
  const make = (
    key: string,
    value: string,
    baseValue: string | null,
    state: RowState,
    isJson: boolean,
    secretLike: boolean,
  ): EnvRow => {
    const own = issues.get(key) ?? NO_ISSUES;
    const severity = own.some((i) => i.severity === 'error')
      ? 'error'
      : own.length > 0
        ? 'warning'
        : null;
    return { key, lower: key.toLowerCase(), value, baseValue, state, isJson, secretLike, issues: own, severity };
  };

  for (const v of draft.vars) {
    const c = changes.get(v.key);
    if (c) changes.delete(v.key);
    if (c?.kind === 'removed') {
      rows.push(make(v.key, v.value, v.value, 'removed', v.isJson, v.secretLike));
    } else if (c) {
      const value = c.newValue ?? '';
      rows.push(make(v.key, value, v.value, 'changed', v.isJson && value === v.value, v.secretLike || secretStaged.has(v.key)));
    } else {
      rows.push(make(v.key, v.value, v.value, 'unchanged', v.isJson, v.secretLike));
    }
  }
  // Changes to keys that are not in the base: additions (and, defensively, anything else).
  for (const c of changes.values()) {
    const value = c.newValue ?? c.oldValue ?? '';
    rows.push(make(c.key, value, c.oldValue ?? null, c.kind === 'removed' ? 'removed' : 'added', false, secretStaged.has(c.key)));
  }
  rows.sort(compareKeys);
  return rows;
}

/** Search words: lower-cased, split on whitespace. */
export function searchWords(query: string): string[] {
  return query.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

/** Rows whose key contains every word of the query. One pass, no allocation per row. */
export function filterRows<T extends { lower: string }>(rows: T[], query: string): T[] {
  const words = searchWords(query);
  if (words.length === 0) return rows;
  const out: T[] = [];
  if (words.length === 1) {
    const w = words[0]!;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      if (r.lower.includes(w)) out.push(r);
    }
    return out;
  }
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    let all = true;
    for (const w of words) {
      if (!r.lower.includes(w)) {
        all = false;
        break;
      }
    }
    if (all) out.push(r);
  }
  return out;
}

/** Changes grouped for the review, each group sorted by key. */
export function groupChanges(changes: readonly EnvChange[]): Record<ChangeKind, EnvChange[]> {
  const groups: Record<ChangeKind, EnvChange[]> = { added: [], changed: [], removed: [] };
  for (const c of changes) groups[c.kind].push(c);
  for (const g of Object.values(groups)) g.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return groups;
}

/** "3 changes", "1 change". */
export function changesLabel(n: number): string {
  return `${n.toLocaleString()} staged ${n === 1 ? 'change' : 'changes'}`;
}

const KIND_LABEL: Record<ChangeKind, string> = { added: 'Added', changed: 'Changed', removed: 'Removed' };

export function kindLabel(kind: ChangeKind): string {
  return KIND_LABEL[kind];
}

/** Pretty-prints JSON text for display; returns the text unchanged if it does not parse. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** "12.3 s" from milliseconds. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
