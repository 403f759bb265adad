import { describe, expect, it } from 'vitest';
import { buildRows, filterRows, groupChanges } from './env-rows';
import { EnvStore } from './env.svelte';
import { createFake, makeProject } from '../test/fake-api';
import { draftOf } from '../test/env-draft';
import type { EnvDraft } from './types';

function draft(n: number): EnvDraft {
  return {
    tenantId: 't',
    baseHash: 'h',
    vars: Array.from({ length: n }, (_, i) => ({
      key: `VAR_${String(i).padStart(5, '0')}`,
      value: `value-${i}`,
      isJson: false,
      secretLike: false,
      fingerprint: '000000000000',
    })),
    changes: [],
    issues: [],
    secretStaged: [],
    loadedAt: '2024-01-01T00:00:00Z',
    snapshots: [],
    conflict: null,
  };
}

/** The median of `runs` timings of `fn`, in ms. */
function median(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}

describe('env rows', () => {
  it('merges base and staged changes into rows with states and issues, sorted by key', () => {
    const rows = buildRows({
      tenantId: 't',
      baseHash: 'h',
      vars: [
        { key: 'A', value: '1', isJson: false, secretLike: false, fingerprint: 'x' },
        { key: 'B', value: '{"x":1}', isJson: true, secretLike: false, fingerprint: 'x' },
        { key: 'c_lower', value: '3', isJson: false, secretLike: false, fingerprint: 'x' },
      ],
      changes: [
        { key: 'A', kind: 'changed', oldValue: '1', newValue: '2' },
        { key: 'API_TOKEN', kind: 'added', oldValue: null, newValue: 't' },
        { key: 'c_lower', kind: 'removed', oldValue: '3', newValue: null },
      ],
      issues: [{ key: 'API_TOKEN', severity: 'warning', message: 'hm' }],
      secretStaged: ['API_TOKEN'],
      loadedAt: '',
      snapshots: [],
      conflict: null,
    });
    expect(rows.map((r) => [r.key, r.state, r.value, r.baseValue])).toEqual([
      ['A', 'changed', '2', '1'],
      ['API_TOKEN', 'added', 't', null],
      ['B', 'unchanged', '{"x":1}', '{"x":1}'],
      ['c_lower', 'removed', '3', '3'],
    ]);
    expect(rows[1]).toMatchObject({ secretLike: true, severity: 'warning' });
    expect(rows[2]).toMatchObject({ isJson: true, lower: 'b' });
  });

  it('flags a row secret only as Rust says: a loaded var by its flag, a staged value by secretStaged', () => {
    const rows = buildRows({
      tenantId: 't',
      baseHash: 'h',
      vars: [
        { key: 'DATABASE_URL', value: 'postgres://u:p@db/app', isJson: false, secretLike: true, fingerprint: 'x' },
        { key: 'PLAIN', value: 'x', isJson: false, secretLike: false, fingerprint: 'x' },
        { key: 'WEBHOOK', value: 'x', isJson: false, secretLike: false, fingerprint: 'x' },
      ],
      changes: [
        { key: 'NEW_DATABASE_URL', kind: 'added', oldValue: null, newValue: 'not a url' },
        { key: 'PLAIN', kind: 'changed', oldValue: 'x', newValue: 'y' },
        { key: 'WEBHOOK', kind: 'changed', oldValue: 'x', newValue: 'https://u:p@hooks/x' },
      ],
      issues: [],
      secretStaged: ['WEBHOOK'],
      loadedAt: '',
      snapshots: [],
      conflict: null,
    });
    expect(Object.fromEntries(rows.map((r) => [r.key, r.secretLike]))).toEqual({
      DATABASE_URL: true,
      NEW_DATABASE_URL: false,
      PLAIN: false,
      WEBHOOK: true,
    });
  });

  it('groups changes for the review', () => {
    const g = groupChanges([
      { key: 'Z', kind: 'added', oldValue: null, newValue: '1' },
      { key: 'B', kind: 'removed', oldValue: '1', newValue: null },
      { key: 'A', kind: 'added', oldValue: null, newValue: '1' },
    ]);
    expect(g.added.map((c) => c.key)).toEqual(['A', 'Z']);
    expect(g.changed).toEqual([]);
    expect(g.removed.map((c) => c.key)).toEqual(['B']);
  });

  it('filters 10,000 rows by key within one frame (O(n) on precomputed lower-case keys)', () => {
    const rows = buildRows(draft(10_000));
    expect(filterRows(rows, '')).toBe(rows);
    expect(filterRows(rows, 'var_0999').map((r) => r.key)).toHaveLength(10);
    expect(filterRows(rows, 'VAR 42').length).toBe(
      rows.filter((r) => r.lower.includes('var') && r.lower.includes('42')).length,
    );
    // Budget: a 60 Hz frame is 16.7 ms; filtering must leave room for the repaint of a window.
    expect(median(9, () => filterRows(rows, 'var_0999'))).toBeLessThan(8);
    expect(median(9, () => filterRows(rows, '1'))).toBeLessThan(8);
    expect(median(9, () => filterRows(rows, 'var 9 1'))).toBeLessThan(8);
  });

  it('the store recomputes its visible rows for a new query within one frame', async () => {
    const project = makeProject(1);
    const fake = createFake({ projects: [project] });
    const vars: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) vars[`VAR_${String(i).padStart(5, '0')}`] = `v${i}`;
    fake.env.set(project.tenantId!, draftOf({ tenantId: project.tenantId!, vars }));
    const store = new EnvStore(fake.api, project.tenantId!);
    await store.load();
    expect(store.visible).toHaveLength(10_000);
    let q = 0;
    const queries = ['var_0', 'var_01', 'var_012', 'var_0123', '9', '99', '999'];
    const t = median(7, () => {
      store.query = queries[q++ % queries.length]!;
      void store.visible.length;
    });
    expect(t).toBeLessThan(16);
    store.query = 'var_0123';
    expect(store.visible.map((r) => r.key)).toEqual(Array.from({ length: 10 }, (_, i) => `VAR_0123${i}`));
    store.setSort('desc');
    expect(store.visible[0]!.key).toBe('VAR_01239');
  });
});
