// The "Go to" palette (Ctrl/Cmd+K): every command and every project of the active profile, found
// by typing. Ranking is plain and predictable: every typed word must occur; labels that start
// with the query come first, then labels with a word starting with it, then the rest, each in
// their original order (commands before projects).
import type { ProjectRow } from './types';
import { planLabel, regionLabel } from './format';

export interface PaletteEntry {
  id: string;
  label: string;
  group: 'Command' | 'Project';
  /** Shown beside the label, also searched. */
  hint?: string;
  /** Searched but not shown (ids, synonyms). */
  keywords?: string;
  run: () => void;
}

/** The most a palette shows at once; typing narrows further. */
export const PALETTE_LIMIT = 50;

export function rankEntries(entries: readonly PaletteEntry[], query: string, limit = PALETTE_LIMIT): PaletteEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return entries.slice(0, limit);
  const words = q.split(/\s+/);
  const tiers: PaletteEntry[][] = [[], [], []];
  for (const entry of entries) {
    const label = entry.label.toLowerCase();
    const haystack = `${label}\n${entry.hint ?? ''}\n${entry.keywords ?? ''}`.toLowerCase();
    if (!words.every((w) => haystack.includes(w))) continue;
    const tier = label.startsWith(q) ? 0 : label.split(/[\s\-—_]+/).some((w) => w.startsWith(words[0]!)) ? 1 : 2;
    tiers[tier]!.push(entry);
  }
  return tiers.flat().slice(0, limit);
}

/** A project's two destinations: its overview and its environment variables. */
export function projectEntries(
  rows: readonly ProjectRow[],
  open: (projectId: string, tab: 'overview' | 'env') => void,
  isProduction: (projectId: string) => boolean = () => false,
): PaletteEntry[] {
  const entries: PaletteEntry[] = [];
  for (const p of rows) {
    const hint = [isProduction(p.id) ? 'Production' : '—', regionLabel(p.region, p.cloud), planLabel(p.plan)]
      .filter((s) => s !== '—')
      .join(' · ');
    const keywords = [p.id, p.tenantId, p.slug].filter(Boolean).join(' ');
    entries.push({ id: `project:${p.id}`, label: p.name, group: 'Project', hint, keywords, run: () => open(p.id, 'overview') });
  }
  for (const p of rows) {
    entries.push({
      id: `env:${p.id}`,
      label: `${p.name} — environment variables`,
      group: 'Project',
      keywords: 'env vars .env',
      run: () => open(p.id, 'env'),
    });
  }
  return entries;
}
