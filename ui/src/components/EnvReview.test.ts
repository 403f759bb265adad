import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { err } from '../test/fake-api';
import { envKeys, envProject, envRow, renderEnvEditor, TENANT } from '../test/env-setup';

const STAGED = async (fake: Parameters<NonNullable<Parameters<typeof renderEnvEditor>[1]>>[0]) => {
  await fake.api.envStage(TENANT, [
    { op: 'set', key: 'NEW_FLAG', value: 'on' },
    { op: 'set', key: 'LOG_LEVEL', value: 'info' },
    { op: 'remove', key: 'API_BASE' },
  ]);
};

async function openReview(before = STAGED) {
  const r = await renderEnvEditor(undefined, before);
  await r.user.click(screen.getByTestId('env-review-button'));
  return { ...r, dialog: screen.getByTestId('env-review') };
}

describe('EnvReview', () => {
  it('groups the diff into added / changed / removed, masked old → new with reveal', async () => {
    const { user, dialog } = await openReview();
    const item = (kind: string, key: string) =>
      within(within(dialog).getByTestId(`env-review-group-${kind}`))
        .getAllByTestId('env-review-item')
        .find((i) => i.dataset.key === key)!;

    expect(within(dialog).getByTestId('env-review-group-added')).toHaveTextContent('Added (1)');
    expect(within(dialog).getByTestId('env-review-group-changed')).toHaveTextContent('Changed (1)');
    expect(within(dialog).getByTestId('env-review-group-removed')).toHaveTextContent('Removed (1)');

    const changed = item('changed', 'LOG_LEVEL');
    expect(within(changed).getByTestId('env-review-old')).toHaveAttribute('data-masked', 'true');
    expect(within(changed).getByTestId('env-review-new')).toHaveAttribute('data-masked', 'true');
    expect(dialog.innerHTML).not.toContain('debug');
    await user.click(within(changed).getByTestId('env-review-reveal'));
    expect(within(changed).getByTestId('env-review-old')).toHaveTextContent('debug');
    expect(within(changed).getByTestId('env-review-new')).toHaveTextContent('info');

    const added = item('added', 'NEW_FLAG');
    expect(within(added).queryByTestId('env-review-old')).not.toBeInTheDocument();
    const removed = item('removed', 'API_BASE');
    expect(within(removed).queryByTestId('env-review-new')).not.toBeInTheDocument();
    await user.click(within(removed).getByTestId('env-review-reveal'));
    expect(within(removed).getByTestId('env-review-old')).toHaveTextContent('https://api.example.com');
    // One at a time: the changed item is masked again.
    expect(within(changed).getByTestId('env-review-new')).toHaveAttribute('data-masked', 'true');
  });

  it('applied: says so, shows the draft the apply answered with, and the project has the new values', async () => {
    const { fake, user } = await openReview();
    const release = fake.hold('envApply');
    await user.click(screen.getByTestId('env-review-apply'));
    expect(screen.getByTestId('env-review-progress')).toBeInTheDocument();
    expect(screen.getByTestId('env-review-apply')).toBeDisabled();
    release();

    const notice = await screen.findByTestId('env-notice');
    expect(notice).toHaveAttribute('data-kind', 'success');
    expect(notice).toHaveTextContent('Applied 3 changes to billing-api');
    expect(screen.queryByTestId('env-review')).not.toBeInTheDocument();
    expect(fake.api.envApply).toHaveBeenCalledWith(TENANT, null);
    // The outcome carries the new draft: nothing is read again.
    expect(fake.api.envLoad).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByTestId('env-staged-bar')).not.toBeInTheDocument());
    expect(envKeys()).not.toContain('API_BASE');
    expect(envRow('NEW_FLAG')).toHaveAttribute('data-state', 'unchanged');
    expect(fake.remoteEnv(TENANT)).toMatchObject({ NEW_FLAG: 'on', LOG_LEVEL: 'info' });
    expect(fake.remoteEnv(TENANT)).not.toHaveProperty('API_BASE');
    expect(fake.api.envWatchHealth).not.toHaveBeenCalled();
  });

  it('after an apply, "Undo this apply…" stages the values from before it, for review; nothing is sent yet', async () => {
    const { fake, user } = await openReview();
    const before = { ...fake.remoteEnv(TENANT) };
    await user.click(screen.getByTestId('env-review-apply'));
    await user.click(await screen.findByTestId('env-undo-apply'));
    // Undo restores the snapshot the apply took (its id came with the outcome).
    const applied = await fake.api.envApply.mock.results[0]!.value;
    expect(applied.outcome).toBe('applied');
    expect(fake.api.envRestore).toHaveBeenLastCalledWith(TENANT, applied.undoSnapshot);
    expect(fake.api.envStage).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.getByTestId('env-notice')).toHaveTextContent('Staged the values from before the last apply (3 changes)'));
    expect(screen.queryByTestId('env-undo-apply')).not.toBeInTheDocument();
    expect(fake.api.envApply).toHaveBeenCalledTimes(1);
    expect(envRow('NEW_FLAG')).toHaveAttribute('data-state', 'removed');
    expect(envRow('API_BASE')).toHaveAttribute('data-state', 'added');

    // Applying the staged undo puts the project back as it was.
    await user.click(screen.getByTestId('env-review-button'));
    await user.click(screen.getByTestId('env-review-apply'));
    await screen.findByTestId('env-undo-apply');
    expect(fake.remoteEnv(TENANT)).toEqual(before);
  });

  it('every apply leaves a snapshot; restoring the older one stages its values in place of staged edits', async () => {
    const { fake, user } = await openReview();
    const original = { ...fake.remoteEnv(TENANT) };
    expect(screen.queryByTestId('env-snapshots-button')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('env-review-apply'));
    await screen.findByTestId('env-undo-apply');
    // A second apply, then an edit left staged.
    await fake.api.envStage(TENANT, [{ op: 'set', key: 'LOG_LEVEL', value: 'warn' }]);
    await fake.api.envApply(TENANT, null);
    await user.click(screen.getByTestId('env-reload'));
    await fake.api.envStage(TENANT, [{ op: 'set', key: 'EXTRA', value: 'x' }]);
    await user.click(screen.getByTestId('env-reload'));
    await waitFor(() => expect(screen.getByTestId('env-snapshots-button')).toHaveTextContent('Snapshots (2)'));

    await user.click(screen.getByTestId('env-snapshots-button'));
    const dialog = screen.getByTestId('env-snapshots');
    expect(within(dialog).getByTestId('env-snapshots-replaces')).toHaveTextContent('replaces your 1 staged change');
    const items = within(dialog).getAllByTestId('env-snapshot');
    expect(items.map((i) => i.dataset.id)).toEqual(['2', '1']);
    expect(items[1]).toHaveTextContent('3 changes: API_BASE removed, LOG_LEVEL changed, NEW_FLAG added');
    expect(items[0]).toHaveTextContent('1 change: LOG_LEVEL changed');
    expect(dialog.innerHTML).not.toContain('debug');

    await user.click(within(items[1]!).getByTestId('env-snapshot-restore'));
    expect(fake.api.envRestore).toHaveBeenCalledWith(TENANT, 1);
    await waitFor(() => expect(screen.queryByTestId('env-snapshots')).not.toBeInTheDocument());
    expect(screen.getByTestId('env-notice')).toHaveTextContent('(3 staged changes). Review them, then apply to restore them.');
    expect(envRow('API_BASE')).toHaveAttribute('data-state', 'added');
    expect(envRow('NEW_FLAG')).toHaveAttribute('data-state', 'removed');
    expect(envRow('LOG_LEVEL')).toHaveAttribute('data-state', 'changed');
    expect(envKeys()).not.toContain('EXTRA');

    // Applied, the project is exactly as it was before the first apply; nothing was sent before.
    expect(fake.api.envApply).toHaveBeenCalledTimes(2);
    await user.click(screen.getByTestId('env-review-button'));
    await user.click(screen.getByTestId('env-review-apply'));
    await screen.findByTestId('env-undo-apply');
    expect(fake.remoteEnv(TENANT)).toEqual(original);
  });

  it('a snapshot the app no longer keeps: the error is shown and the dialog stays', async () => {
    const { fake, user } = await openReview();
    await user.click(screen.getByTestId('env-review-apply'));
    await user.click(await screen.findByTestId('env-snapshots-button'));
    fake.fail('envRestore', err('notFound', 'That snapshot is no longer kept.'));
    await user.click(screen.getByTestId('env-snapshot-restore'));
    expect(await screen.findByTestId('env-snapshots-error')).toHaveTextContent('That snapshot is no longer kept.');
    expect(screen.getByTestId('env-snapshots')).toBeInTheDocument();
    expect(screen.getByTestId('env-snapshot-restore')).toBeEnabled();
  });

  it('a production project: Apply waits until its name is typed', async () => {
    const { fake, user } = await openReview(async (f) => {
      await f.api.setProduction(envProject.id, true);
      await STAGED(f);
    });
    const guard = screen.getByTestId('env-review-production');
    expect(guard).toHaveTextContent('billing-api is marked as production.');
    expect(screen.getByTestId('env-review-apply')).toBeDisabled();
    expect(screen.getByTestId('env-review-apply-watch')).toBeDisabled();
    expect(screen.queryByTestId('env-review-blocked')).not.toBeInTheDocument();
    await user.type(screen.getByTestId('env-review-confirm-input'), 'billing');
    expect(screen.getByTestId('env-review-apply')).toBeDisabled();
    await user.type(screen.getByTestId('env-review-confirm-input'), '-api');
    await user.click(screen.getByTestId('env-review-apply'));
    expect(await screen.findByTestId('env-notice')).toHaveTextContent('Applied 3 changes to billing-api');
    expect(fake.api.envApply).toHaveBeenCalledTimes(1);
    // The typed name goes to Rust, which checks it again before sending anything.
    expect(fake.api.envApply).toHaveBeenCalledWith(TENANT, 'billing-api');
  });

  it("a production project: Rust's refusal of the typed name is shown and nothing changes", async () => {
    const { fake, user } = await openReview(async (f) => {
      await f.api.setProduction(envProject.id, true);
      await STAGED(f);
    });
    fake.fail('envApply', err('invalidInput', 'Type the project\'s name, billing-api, to apply to it.', { field: 'confirmName' }));
    await user.type(screen.getByTestId('env-review-confirm-input'), 'billing-api');
    await user.click(screen.getByTestId('env-review-apply'));
    expect(await screen.findByText(/Type the project's name, billing-api/)).toBeInTheDocument();
    expect(screen.getByTestId('env-review')).toBeInTheDocument();
    expect(fake.remoteEnv(TENANT)).toMatchObject({ LOG_LEVEL: 'debug' });
  });

  it('a project not marked as production asks for nothing more', async () => {
    await openReview();
    expect(screen.queryByTestId('env-review-production')).not.toBeInTheDocument();
    expect(screen.getByTestId('env-review-apply')).toBeEnabled();
  });

  it('nothingChanged: an information, not an error', async () => {
    const { fake, user } = await openReview();
    fake.api.envApply.mockResolvedValueOnce({ outcome: 'nothingChanged', draft: fake.envView(TENANT) });
    await user.click(screen.getByTestId('env-review-apply'));
    const notice = await screen.findByTestId('env-notice');
    expect(notice).toHaveAttribute('data-kind', 'info');
    expect(notice).toHaveAttribute('role', 'status');
    expect(notice).toHaveTextContent('No changes');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByTestId('env-review')).not.toBeInTheDocument();
  });

  it('partial: lists what was applied and what was not, with the error, and retries the rest', async () => {
    const { fake, user } = await openReview();
    fake.failRemovals(err('server', 'Hasura Cloud failed to delete the variables.', { requestId: 'req-7' }));
    await user.click(screen.getByTestId('env-review-apply'));

    const partial = await screen.findByTestId('env-review-partial');
    expect(partial).toHaveTextContent('Only part of the changes was applied');
    expect(partial).toHaveTextContent('Hasura Cloud failed to delete the variables.');
    const applied = within(partial).getByTestId('env-review-partial-applied');
    const notApplied = within(partial).getByTestId('env-review-partial-not-applied');
    expect([...applied.querySelectorAll('li')].map((li) => li.dataset.key)).toEqual(['LOG_LEVEL', 'NEW_FLAG']);
    expect([...notApplied.querySelectorAll('li')].map((li) => li.dataset.key)).toEqual(['API_BASE']);
    expect(notApplied).toHaveTextContent('API_BASE (removed)');
    expect(fake.remoteEnv(TENANT)).toMatchObject({ NEW_FLAG: 'on', LOG_LEVEL: 'info', API_BASE: 'https://api.example.com' });

    // The review now shows what is still staged: the removal.
    await waitFor(() => expect(screen.getAllByTestId('env-review-item').map((i) => i.dataset.key)).toEqual(['API_BASE']));

    await user.click(within(partial).getByTestId('env-review-retry'));
    expect(await screen.findByTestId('env-notice')).toHaveTextContent('Applied 1 change');
    expect(fake.remoteEnv(TENANT)).not.toHaveProperty('API_BASE');
  });

  it('an error keeps the review open and the edits staged', async () => {
    const { fake, user } = await openReview();
    fake.fail('envApply', err('network', 'Could not reach Hasura Cloud.'));
    await user.click(screen.getByTestId('env-review-apply'));
    expect(await screen.findByTestId('env-review-error')).toHaveTextContent('Could not reach Hasura Cloud.');
    expect(screen.getAllByTestId('env-review-item')).toHaveLength(3);
    await user.click(screen.getByTestId('env-review-cancel'));
    expect(screen.getByTestId('env-staged-count')).toHaveTextContent('3 staged changes');
  });

  it('Apply and watch: progress in a live region until healthy', async () => {
    const { fake, user } = await openReview();
    const step = fake.manualHealth();
    await user.click(screen.getByTestId('env-review-apply-watch'));
    const region = screen.getByTestId('env-health');
    expect(region).toHaveAttribute('aria-live', 'polite');
    await waitFor(() => expect(within(region).getByTestId('env-health-phase')).toHaveTextContent('Waiting for the project to restart'));
    expect(fake.api.envWatchHealth).toHaveBeenCalledWith(TENANT, expect.any(Function));

    step();
    await waitFor(() => expect(within(region).getByTestId('env-health-phase')).toHaveTextContent('Not healthy yet'));
    expect(within(region).getByTestId('env-health-attempt')).toHaveTextContent('attempt 1');
    expect(within(region).getByTestId('env-health-elapsed')).toHaveTextContent('2.5 s');
    expect(region).toHaveTextContent('503');
    expect(region).toHaveTextContent('watching');

    step();
    await waitFor(() => expect(within(region).getByTestId('env-health-phase')).toHaveTextContent('Healthy'));
    expect(within(region).getByTestId('env-health-attempt')).toHaveTextContent('attempt 2');
    expect(within(region).getByTestId('env-health-elapsed')).toHaveTextContent('3.3 s');
    await waitFor(() => expect(region).not.toHaveTextContent('watching'));
  });

  it('Apply and watch: reports when it gave up', async () => {
    const { fake, user } = await openReview();
    fake.healthSteps = [
      { phase: 'waiting', attempt: 0, elapsedMs: 0, status: null, message: '' },
      { phase: 'gaveUp', attempt: 30, elapsedMs: 120_000, status: 503, message: 'Still not healthy after 120 s.' },
    ];
    await user.click(screen.getByTestId('env-review-apply-watch'));
    const region = screen.getByTestId('env-health');
    await waitFor(() => expect(within(region).getByTestId('env-health-phase')).toHaveTextContent('Gave up waiting'));
    expect(region).toHaveTextContent('Still not healthy after 120 s.');
    expect(within(region).getByTestId('env-health-elapsed')).toHaveTextContent('120.0 s');
  });

  it('conflict: opens the conflict screen instead of applying', async () => {
    const { fake, user } = await openReview();
    fake.changeRemote(TENANT, { LOG_LEVEL: 'trace' });
    await user.click(screen.getByTestId('env-review-apply'));
    expect(await screen.findByTestId('env-conflicts')).toBeInTheDocument();
    expect(screen.queryByTestId('env-review')).not.toBeInTheDocument();
    expect(fake.remoteEnv(TENANT).LOG_LEVEL).toBe('trace');
  });
});
