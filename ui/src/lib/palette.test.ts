import { describe, expect, it, vi } from 'vitest';
import { PALETTE_LIMIT, projectEntries, rankEntries, type PaletteEntry } from './palette';
import { makeProject } from '../test/fake-api';

const entry = (label: string, extra: Partial<PaletteEntry> = {}): PaletteEntry => ({
  id: label,
  label,
  group: 'Command',
  run: () => {},
  ...extra,
});

const labels = (entries: PaletteEntry[]) => entries.map((e) => e.label);

describe('rankEntries', () => {
  const entries = [
    entry('Refresh projects'),
    entry('New project…'),
    entry('Projects'),
    entry('shop-projector', { group: 'Project' }),
    entry('billing', { group: 'Project', keywords: 'proj-id-42' }),
  ];

  it('without a query: everything in its order, up to the limit', () => {
    expect(labels(rankEntries(entries, '  '))).toEqual(labels(entries));
    const many = Array.from({ length: 200 }, (_, i) => entry(`p${i}`));
    expect(rankEntries(many, '')).toHaveLength(PALETTE_LIMIT);
  });

  it('labels starting with the query first, then a word starting with it, then the rest', () => {
    expect(labels(rankEntries(entries, 'proj'))).toEqual([
      'Projects',
      'Refresh projects',
      'New project…',
      'shop-projector',
      'billing',
    ]);
  });

  it('every word must occur, in the label, the hint or the keywords; case does not matter', () => {
    expect(labels(rankEntries(entries, 'NEW proj'))).toEqual(['New project…']);
    expect(labels(rankEntries(entries, 'id-42'))).toEqual(['billing']);
    expect(rankEntries(entries, 'nothing like this')).toEqual([]);
  });
});

describe('projectEntries', () => {
  it('offers each project and its environment variables, searchable by id and tenant id', () => {
    const open = vi.fn();
    const p = makeProject(7);
    const entries = projectEntries([p], open);
    expect(labels(entries)).toEqual([p.name, `${p.name} — environment variables`]);
    expect(entries[0]!.hint).toMatch(/·/);
    expect(labels(rankEntries(entries, p.tenantId!))).toEqual([p.name]);
    entries[1]!.run();
    expect(open).toHaveBeenCalledWith(p.id, 'env');
    const marked = projectEntries([p], open, (id) => id === p.id);
    expect(marked[0]!.hint).toMatch(/^Production · /);
    expect(labels(rankEntries(marked, 'production'))).toEqual([p.name]);
  });
});
