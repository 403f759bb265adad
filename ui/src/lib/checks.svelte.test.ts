import { describe, expect, it, vi } from 'vitest';
import { EnvRowChecks } from './checks.svelte';
import type { Api, EnvPair, EnvRowsCheck } from './types';

describe('EnvRowChecks', () => {
  it('keeps Rust’s answer about the latest rows; an answer about older rows is dropped', async () => {
    // Rust's answers, held until a test lets them go.
    const held: { rows: EnvPair[]; answer: (check: EnvRowsCheck) => void }[] = [];
    const api = {
      checkEnvRows: (rows: EnvPair[]) => new Promise<EnvRowsCheck>((answer) => held.push({ rows, answer })),
    } as unknown as Api;
    const answer = (i: number, blank: boolean[]) => held[i]!.answer({ problems: blank.map((b) => (b ? null : 'bad')), blank });

    let rows = $state<EnvPair[]>([
      { key: 'A', value: '1' },
      { key: '', value: '' },
      { key: 'C', value: '3' },
    ]);
    let checks!: EnvRowChecks;
    const stop = $effect.root(() => {
      checks = new EnvRowChecks(api, () => rows);
    });
    await vi.waitFor(() => expect(held).toHaveLength(1));
    expect(held[0]!.rows).toEqual([
      { key: 'A', value: '1' },
      { key: '', value: '' },
      { key: 'C', value: '3' },
    ]);

    // The first row removed before Rust answered about the three rows.
    rows = rows.slice(1);
    await vi.waitFor(() => expect(held).toHaveLength(2));
    answer(1, [true, false]);
    await vi.waitFor(() => expect(checks.blank).toEqual([true, false]));
    answer(0, [false, true, false]);
    await Promise.resolve();
    await Promise.resolve();
    expect(checks.blank).toEqual([true, false]);
    expect(checks.filled(rows).map((r) => r.key)).toEqual(['C']);
    expect(checks.any).toBe(true);
    stop();
  });
});
