import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { err } from '../test/fake-api';
import { added, appliedOutcome, changed, conflictOf, removed } from '../test/env-draft';
import { ENV_VARS, envDraft, envRow, renderEnvEditor, TENANT } from '../test/env-setup';
import type { ConflictEntry, EnvConflict } from '../lib/types';

const PG_URL = 'postgres://app:hunter2@db.internal:5432/app';
/** Mine: LOG_LEVEL debug→info, API_BASE removed, NEW_FLAG added, PG_DATABASE_URL changed. */
const MINE = [
  removed('API_BASE', 'https://api.example.com'),
  changed('LOG_LEVEL', 'debug', 'info'),
  added('NEW_FLAG', 'mine-flag'),
  changed('PG_DATABASE_URL', PG_URL, 'postgres://app:new@db/app'),
];
/**
 * Rust's three-way answer: they changed LOG_LEVEL and API_BASE and added NEW_FLAG with another
 * value (conflicts); PG_DATABASE_URL they left alone (merges); OTHER they added (not mine at all).
 */
const CONFLICTS: ConflictEntry[] = [
  { key: 'API_BASE', base: 'https://api.example.com', theirs: 'https://api2.example.com', mine: null },
  { key: 'LOG_LEVEL', base: 'debug', theirs: 'warn', mine: 'info' },
  { key: 'NEW_FLAG', base: null, theirs: 'their-flag', mine: 'mine-flag' },
];
const THEIRS = { ...ENV_VARS, LOG_LEVEL: 'warn', API_BASE: 'https://api2.example.com', NEW_FLAG: 'their-flag', OTHER: 'theirs-only' };

/** The person applies `changes`; Rust answers that someone else got there first. */
async function conflictScreen(changes = MINE, conflict: EnvConflict = conflictOf('hash-9', CONFLICTS, ['PG_DATABASE_URL'])) {
  const r = await renderEnvEditor(envDraft({ changes }));
  r.fake.env.respond('envApply', {
    outcome: 'conflict',
    theirHash: conflict.theirHash,
    conflicts: conflict.conflicts,
    mergedWithoutConflict: conflict.mergedWithoutConflict,
    draft: envDraft({ changes, conflict }),
  });
  await r.user.click(screen.getByTestId('env-review-button'));
  await r.user.click(screen.getByTestId('env-review-apply'));
  const dialog = await screen.findByTestId('env-conflicts');
  return { ...r, dialog };
}

const conflict = (key: string) => screen.getAllByTestId('env-conflict').find((c) => c.dataset.key === key)!;

describe('EnvConflicts', () => {
  it('shows base / theirs / mine per conflicting key, masked, and the auto-merged keys', async () => {
    const { user, dialog } = await conflictScreen();
    expect(screen.getAllByTestId('env-conflict').map((c) => c.dataset.key)).toEqual(['API_BASE', 'LOG_LEVEL', 'NEW_FLAG']);
    expect(within(dialog).getByTestId('env-conflict-merged')).toHaveTextContent('PG_DATABASE_URL');
    expect(dialog).toHaveTextContent('Nothing was sent');

    const log = conflict('LOG_LEVEL');
    for (const side of ['base', 'theirs', 'mine']) {
      expect(within(log).getByTestId(`env-conflict-${side}`)).toHaveAttribute('data-masked', 'true');
    }
    expect(dialog.innerHTML).not.toContain('warn');
    await user.click(within(log).getByTestId('env-conflict-reveal'));
    expect(within(log).getByTestId('env-conflict-base')).toHaveTextContent('debug');
    expect(within(log).getByTestId('env-conflict-theirs')).toHaveTextContent('warn');
    expect(within(log).getByTestId('env-conflict-mine')).toHaveTextContent('info');

    // A removal on my side, an addition on both sides.
    expect(within(conflict('API_BASE')).getByTestId('env-conflict-mine')).toHaveTextContent('(you removed it)');
    expect(within(conflict('API_BASE')).getByTestId('env-conflict-choice-mine').parentElement).toHaveTextContent('Keep mine (remove it)');
    expect(within(conflict('NEW_FLAG')).getByTestId('env-conflict-base')).toHaveTextContent('(did not exist)');
  });

  it("needs a choice for every key (nothing is chosen for them), sends exactly those choices, then reviews Rust's rebased draft", async () => {
    const { fake, user } = await conflictScreen();
    const resolve = screen.getByTestId('env-conflict-resolve');
    expect(resolve).toBeDisabled();
    expect(screen.getByTestId('env-conflicts-count')).toHaveTextContent('3 still to decide');

    await user.click(within(conflict('LOG_LEVEL')).getByTestId('env-conflict-choice-theirs'));
    await user.click(within(conflict('API_BASE')).getByTestId('env-conflict-choice-mine'));
    expect(resolve).toBeDisabled();
    await user.click(within(conflict('NEW_FLAG')).getByTestId('env-conflict-choice-value'));
    const input = within(conflict('NEW_FLAG')).getByTestId('env-conflict-value-input');
    expect(input).toHaveValue('mine-flag');
    await user.clear(input);
    await user.type(input, 'agreed-flag');
    expect(resolve).toBeEnabled();

    // Rust rebases on theirs: theirs for LOG_LEVEL leaves no change to it.
    const rebased = [
      removed('API_BASE', 'https://api2.example.com'),
      changed('NEW_FLAG', 'their-flag', 'agreed-flag'),
      changed('PG_DATABASE_URL', PG_URL, 'postgres://app:new@db/app'),
    ];
    fake.env.respond('envResolve', envDraft({ baseHash: 'hash-9', vars: THEIRS, changes: rebased }));
    await user.click(resolve);
    expect(fake.api.envResolve).toHaveBeenCalledWith(TENANT, [
      { key: 'API_BASE', resolution: { choose: 'mine' } },
      { key: 'LOG_LEVEL', resolution: { choose: 'theirs' } },
      { key: 'NEW_FLAG', resolution: { choose: 'value', value: 'agreed-flag' } },
    ]);

    const review = await screen.findByTestId('env-review');
    expect(screen.queryByTestId('env-conflicts')).not.toBeInTheDocument();
    const items = within(review).getAllByTestId('env-review-item');
    expect(items.map((i) => `${i.dataset.key}:${i.dataset.kind}`)).toEqual([
      'NEW_FLAG:changed',
      'PG_DATABASE_URL:changed',
      'API_BASE:removed',
    ]);

    const { API_BASE: _gone, ...live } = { ...THEIRS, NEW_FLAG: 'agreed-flag', PG_DATABASE_URL: 'postgres://app:new@db/app' };
    fake.env.respond('envApply', appliedOutcome(rebased, envDraft({ baseHash: 'hash-10', vars: live })));
    await user.click(within(review).getByTestId('env-review-apply'));
    expect(await screen.findByTestId('env-notice')).toHaveTextContent('Applied 3 changes');
    expect(fake.api.envApply).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(envRow('OTHER')).toHaveAttribute('data-state', 'unchanged'));
  });

  it('"Decide later" keeps every edit staged; errors keep the choices', async () => {
    const { fake, user } = await conflictScreen();
    await user.click(within(conflict('LOG_LEVEL')).getByTestId('env-conflict-choice-mine'));
    await user.click(within(conflict('API_BASE')).getByTestId('env-conflict-choice-theirs'));
    await user.click(within(conflict('NEW_FLAG')).getByTestId('env-conflict-choice-theirs'));
    fake.fail('envResolve', err('invalidInput', 'Choose what to keep for NEW_FLAG.', { field: 'envs' }));
    await user.click(screen.getByTestId('env-conflict-resolve'));
    expect(await screen.findByTestId('env-conflict-error')).toHaveTextContent('Choose what to keep for NEW_FLAG.');
    expect(within(conflict('LOG_LEVEL')).getByTestId('env-conflict-choice-mine')).toBeChecked();

    await user.click(screen.getByTestId('env-conflict-cancel'));
    expect(screen.queryByTestId('env-conflicts')).not.toBeInTheDocument();
    expect(screen.getByTestId('env-staged-count')).toHaveTextContent('4 staged changes');
    expect(fake.api.envApply).toHaveBeenCalledTimes(1);
  });

  it('when nothing collides, offers to rebase and review', async () => {
    const mine = [changed('LOG_LEVEL', 'debug', 'info')];
    const r = await conflictScreen(mine, conflictOf('hash-9', [], ['LOG_LEVEL']));
    expect(screen.getByTestId('env-conflicts-none')).toBeInTheDocument();
    expect(screen.getByTestId('env-conflict-merged')).toHaveTextContent('LOG_LEVEL');
    r.fake.env.respond('envResolve', envDraft({ baseHash: 'hash-9', vars: { ...ENV_VARS, OTHER: 'x' }, changes: mine }));
    await r.user.click(screen.getByTestId('env-conflict-resolve'));
    expect(r.fake.api.envResolve).toHaveBeenCalledWith(TENANT, []);
    expect(await screen.findByTestId('env-review')).toBeInTheDocument();
    expect(screen.getAllByTestId('env-review-item').map((i) => i.dataset.key)).toEqual(['LOG_LEVEL']);
  });

  it('a reload that answers a conflict opens the conflict screen: nothing is rebased away', async () => {
    const mine = [changed('LOG_LEVEL', 'debug', 'info')];
    const pending = conflictOf('hash-9', [{ key: 'LOG_LEVEL', base: 'debug', theirs: 'warn', mine: 'info' }]);
    const r = await renderEnvEditor(envDraft({ changes: mine }));
    r.fake.env.respond('envReload', envDraft({ changes: mine, conflict: pending }));
    await r.user.click(screen.getByTestId('env-reload'));
    const dialog = await screen.findByTestId('env-conflicts');
    expect(screen.getAllByTestId('env-conflict').map((c) => c.dataset.key)).toEqual(['LOG_LEVEL']);
    // Closed without choosing: the conflict waits with the draft, and says so.
    await r.user.click(within(dialog).getByTestId('env-conflict-cancel'));
    expect(await screen.findByTestId('env-conflict-pending')).toHaveTextContent('Someone else changed 1 key you staged');
    await r.user.click(screen.getByTestId('env-conflict-open'));
    expect(await screen.findByTestId('env-conflicts')).toBeInTheDocument();
    expect(r.fake.api.envApply).not.toHaveBeenCalled();
  });
});
