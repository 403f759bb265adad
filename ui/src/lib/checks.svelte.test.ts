import { describe, expect, it, vi } from 'vitest';
import { EnvRowChecks } from './checks.svelte';
import type { Api, EnvPair, EnvRowsCheck } from './types';

describe('EnvRowChecks', () => {
  it('takes a row for blank only while it is the row Rust’s last answer was about', async () => {
    // Rust's answers, held until a test lets them go.
    const held: { rows: EnvPair[]; answer: (check: EnvRowsCheck) => void }[] = [];
    const api = {
      checkEnvRows: (rows: EnvPair[]) => new Promise<EnvRowsCheck>((answer) => held.push({ rows, answer })),
    } as unknown as Api;
    const answerAs = (blank: boolean[]) => held.shift()!.answer({ problems: blank.map(() => null), blank });

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
    answerAs([false, true, false]);
    await vi.waitFor(() => expect(checks.blank).toEqual([false, true, false]));
    expect(rows.map((row, i) => checks.isBlank(row, i))).toEqual([false, true, false]);
    expect(checks.filled(rows).map((r) => r.key)).toEqual(['A', 'C']);

    // The first row removed; Rust has not answered about the new rows yet. C is now where the
    // blank row was, and must not be taken for it.
    rows = rows.slice(1);
    await vi.waitFor(() => expect(held).toHaveLength(1));
    expect(rows.map((row, i) => checks.isBlank(row, i))).toEqual([false, false]);
    answerAs([true, false]);
    await vi.waitFor(() => expect(rows.map((row, i) => checks.isBlank(row, i))).toEqual([true, false]));
    stop();
  });
});
