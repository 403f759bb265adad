import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { err, type FakeBackend } from '../test/fake-api';
import { envRow, renderEnvEditor, TENANT } from '../test/env-setup';

/**
 * Mine: LOG_LEVEL debug→info, API_BASE removed, NEW_FLAG added, PG_DATABASE_URL changed.
 * Theirs (meanwhile): LOG_LEVEL debug→warn, API_BASE changed, NEW_FLAG added with another value,
 * PG_DATABASE_URL untouched (merges), and OTHER added (not mine at all).
 */
async function conflictScreen() {
  const r = await renderEnvEditor(undefined, async (fake: FakeBackend) => {
    await fake.api.envStage(TENANT, [
      { op: 'set', key: 'LOG_LEVEL', value: 'info' },
      { op: 'remove', key: 'API_BASE' },
      { op: 'set', key: 'NEW_FLAG', value: 'mine-flag' },
      { op: 'set', key: 'PG_DATABASE_URL', value: 'postgres://app:new@db/app' },
    ]);
  });
  r.fake.changeRemote(TENANT, {
    LOG_LEVEL: 'warn',
    API_BASE: 'https://api2.example.com',
    NEW_FLAG: 'their-flag',
    OTHER: 'theirs-only',
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

  it('needs a choice for every key (nothing is chosen for them), then sends exactly those choices', async () => {
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

    await user.click(resolve);
    expect(fake.api.envResolve).toHaveBeenCalledWith(TENANT, [
      { key: 'API_BASE', resolution: { choose: 'mine' } },
      { key: 'LOG_LEVEL', resolution: { choose: 'theirs' } },
      { key: 'NEW_FLAG', resolution: { choose: 'value', value: 'agreed-flag' } },
    ]);

    // Back to the review of the rebased draft: theirs for LOG_LEVEL means no change to it.
    const review = await screen.findByTestId('env-review');
    expect(screen.queryByTestId('env-conflicts')).not.toBeInTheDocument();
    const items = within(review).getAllByTestId('env-review-item');
    expect(items.map((i) => `${i.dataset.key}:${i.dataset.kind}`)).toEqual([
      'NEW_FLAG:changed',
      'PG_DATABASE_URL:changed',
      'API_BASE:removed',
    ]);

    await user.click(within(review).getByTestId('env-review-apply'));
    await screen.findByTestId('env-notice');
    expect(fake.remoteEnv(TENANT)).toEqual({
      HASURA_GRAPHQL_ADMIN_SECRET: 'very-secret-admin',
      PG_DATABASE_URL: 'postgres://app:new@db/app',
      LOG_LEVEL: 'warn',
      FEATURE_FLAGS: '{"beta":true,"limit":5}',
      NEW_FLAG: 'agreed-flag',
      OTHER: 'theirs-only',
    });
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
    expect(fake.remoteEnv(TENANT).LOG_LEVEL).toBe('warn');
  });

  it('when nothing collides, offers to rebase and review', async () => {
    const r = await renderEnvEditor(undefined, async (fake) => {
      await fake.api.envStage(TENANT, [{ op: 'set', key: 'LOG_LEVEL', value: 'info' }]);
    });
    r.fake.changeRemote(TENANT, { OTHER: 'x' });
    await r.user.click(screen.getByTestId('env-review-button'));
    await r.user.click(screen.getByTestId('env-review-apply'));
    await screen.findByTestId('env-conflicts');
    expect(screen.getByTestId('env-conflicts-none')).toBeInTheDocument();
    expect(screen.getByTestId('env-conflict-merged')).toHaveTextContent('LOG_LEVEL');
    await r.user.click(screen.getByTestId('env-conflict-resolve'));
    expect(r.fake.api.envResolve).toHaveBeenCalledWith(TENANT, []);
    expect(await screen.findByTestId('env-review')).toBeInTheDocument();
  });

  it('a reload after someone changed a staged key raises the same conflict: nothing is rebased away', async () => {
    const r = await renderEnvEditor(undefined, async (fake: FakeBackend) => {
      await fake.api.envStage(TENANT, [{ op: 'set', key: 'LOG_LEVEL', value: 'info' }]);
    });
    r.fake.changeRemote(TENANT, { LOG_LEVEL: 'warn' });
    await r.user.click(screen.getByTestId('env-reload'));
    const dialog = await screen.findByTestId('env-conflicts');
    expect(screen.getAllByTestId('env-conflict').map((c) => c.dataset.key)).toEqual(['LOG_LEVEL']);
    // Closed without choosing: the conflict waits with the draft, and says so.
    await r.user.click(within(dialog).getByTestId('env-conflict-cancel'));
    expect(await screen.findByTestId('env-conflict-pending')).toHaveTextContent('Someone else changed 1 key you staged');
    await r.user.click(screen.getByTestId('env-conflict-open'));
    expect(await screen.findByTestId('env-conflicts')).toBeInTheDocument();
    expect(r.fake.remoteEnv(TENANT)).toMatchObject({ LOG_LEVEL: 'warn' });
  });

});
