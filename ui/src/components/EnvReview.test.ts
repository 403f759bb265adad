import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { err, type FakeBackend } from '../test/fake-api';
import { added, appliedOutcome, changed, conflictOf, removed, snapshotOf } from '../test/env-draft';
import { ENV_VARS, envDraft, envKeys, envProject, envRow, renderEnvEditor, TENANT } from '../test/env-setup';
import type { EnvDraft } from '../lib/types';

/** Three staged changes, as Rust lists them (sorted by key). */
const STAGED = [removed('API_BASE', 'https://api.example.com'), changed('LOG_LEVEL', 'debug', 'info'), added('NEW_FLAG', 'on')];
/** The variables once all three are live. */
const { API_BASE: _gone, ...KEPT } = ENV_VARS;
const AFTER_APPLY = { ...KEPT, LOG_LEVEL: 'info', NEW_FLAG: 'on' };

/** Rust's answer to applying STAGED: everything live, one snapshot taken. */
function appliedAll(): ReturnType<typeof appliedOutcome> {
  return appliedOutcome(STAGED, envDraft({ baseHash: 'hash-2', vars: AFTER_APPLY, snapshots: [snapshotOf(1, STAGED)] }));
}

async function openReview(draft: EnvDraft = envDraft({ changes: STAGED }), before?: (fake: FakeBackend) => Promise<void> | void) {
  const r = await renderEnvEditor(draft, before);
  await r.user.click(screen.getByTestId('env-review-button'));
  return { ...r, dialog: screen.getByTestId('env-review') };
}

const markProduction = async (f: FakeBackend) => {
  await f.api.setProduction(envProject.id, true);
};

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

    const changedItem = item('changed', 'LOG_LEVEL');
    expect(within(changedItem).getByTestId('env-review-old')).toHaveAttribute('data-masked', 'true');
    expect(within(changedItem).getByTestId('env-review-new')).toHaveAttribute('data-masked', 'true');
    expect(dialog.innerHTML).not.toContain('debug');
    await user.click(within(changedItem).getByTestId('env-review-reveal'));
    expect(within(changedItem).getByTestId('env-review-old')).toHaveTextContent('debug');
    expect(within(changedItem).getByTestId('env-review-new')).toHaveTextContent('info');

    const addedItem = item('added', 'NEW_FLAG');
    expect(within(addedItem).queryByTestId('env-review-old')).not.toBeInTheDocument();
    const removedItem = item('removed', 'API_BASE');
    expect(within(removedItem).queryByTestId('env-review-new')).not.toBeInTheDocument();
    await user.click(within(removedItem).getByTestId('env-review-reveal'));
    expect(within(removedItem).getByTestId('env-review-old')).toHaveTextContent('https://api.example.com');
    // One at a time: the changed item is masked again.
    expect(within(changedItem).getByTestId('env-review-new')).toHaveAttribute('data-masked', 'true');
  });

  it('applied: says so and shows the draft the apply answered with, nothing read again', async () => {
    const { fake, user } = await openReview();
    expect(screen.queryByTestId('env-snapshots-button')).not.toBeInTheDocument();
    fake.env.respond('envApply', appliedAll());
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
    expect(fake.api.envLoad).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByTestId('env-staged-bar')).not.toBeInTheDocument());
    expect(envKeys()).not.toContain('API_BASE');
    expect(envRow('NEW_FLAG')).toHaveAttribute('data-state', 'unchanged');
    // The snapshot the apply took, listed in the answered draft, is offered.
    expect(screen.getByTestId('env-snapshots-button')).toHaveTextContent('Snapshots (1)');
    expect(fake.api.envWatchHealth).not.toHaveBeenCalled();
  });

  it('after an apply, "Undo this apply…" restores the snapshot the apply took, for review; nothing is sent yet', async () => {
    const { fake, user } = await openReview();
    const undo = [added('API_BASE', 'https://api.example.com'), changed('LOG_LEVEL', 'info', 'debug'), removed('NEW_FLAG', 'on')];
    fake.env
      .respond('envApply', appliedOutcome(STAGED, envDraft({ vars: AFTER_APPLY, snapshots: [snapshotOf(7, STAGED)] }), 7))
      .respond('envRestore', envDraft({ vars: AFTER_APPLY, changes: undo, snapshots: [snapshotOf(7, STAGED)] }));
    await user.click(screen.getByTestId('env-review-apply'));
    await user.click(await screen.findByTestId('env-undo-apply'));
    // Undo restores the snapshot whose id came with the outcome.
    expect(fake.api.envRestore).toHaveBeenLastCalledWith(TENANT, 7);
    expect(fake.api.envStage).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.getByTestId('env-notice')).toHaveTextContent('Staged the values from before the last apply (3 changes)'));
    expect(screen.queryByTestId('env-undo-apply')).not.toBeInTheDocument();
    expect(fake.api.envApply).toHaveBeenCalledTimes(1);
    expect(envRow('NEW_FLAG')).toHaveAttribute('data-state', 'removed');
    expect(envRow('API_BASE')).toHaveAttribute('data-state', 'added');
    expect(envRow('LOG_LEVEL')).toHaveAttribute('data-state', 'changed');

    // The staged undo is applied like any other change.
    await user.click(screen.getByTestId('env-review-button'));
    expect(screen.getAllByTestId('env-review-item').map((i) => i.dataset.key).sort()).toEqual(['API_BASE', 'LOG_LEVEL', 'NEW_FLAG']);
    fake.env.respond('envApply', appliedOutcome(undo, envDraft({ snapshots: [snapshotOf(8, undo), snapshotOf(7, STAGED)] }), 8));
    await user.click(screen.getByTestId('env-review-apply'));
    await screen.findByTestId('env-undo-apply');
    expect(fake.api.envApply).toHaveBeenCalledTimes(2);
    expect(envRow('API_BASE')).toHaveAttribute('data-state', 'unchanged');
  });

  it('lists the snapshots the draft keeps; restoring the older one stages its values in place of staged edits', async () => {
    const secondApply = [changed('LOG_LEVEL', 'info', 'warn')];
    const { fake, user } = await renderEnvEditor(
      envDraft({
        vars: { ...AFTER_APPLY, LOG_LEVEL: 'warn' },
        changes: [added('EXTRA', 'x')],
        snapshots: [snapshotOf(2, secondApply), snapshotOf(1, STAGED)],
      }),
    );
    expect(screen.getByTestId('env-snapshots-button')).toHaveTextContent('Snapshots (2)');
    // Rust stages what brings back snapshot 1, replacing the staged EXTRA.
    fake.env.respond(
      'envRestore',
      envDraft({
        vars: { ...AFTER_APPLY, LOG_LEVEL: 'warn' },
        changes: [added('API_BASE', 'https://api.example.com'), changed('LOG_LEVEL', 'warn', 'debug'), removed('NEW_FLAG', 'on')],
        snapshots: [snapshotOf(2, secondApply), snapshotOf(1, STAGED)],
      }),
    );

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
    // Nothing was sent: the restored values wait for review.
    expect(fake.api.envApply).not.toHaveBeenCalled();
  });

  it('a snapshot the app no longer keeps: the error is shown and the dialog stays', async () => {
    const { fake, user } = await openReview();
    fake.env.respond('envApply', appliedAll());
    await user.click(screen.getByTestId('env-review-apply'));
    await user.click(await screen.findByTestId('env-snapshots-button'));
    fake.fail('envRestore', err('notFound', 'That snapshot is no longer kept.'));
    await user.click(screen.getByTestId('env-snapshot-restore'));
    expect(await screen.findByTestId('env-snapshots-error')).toHaveTextContent('That snapshot is no longer kept.');
    expect(screen.getByTestId('env-snapshots')).toBeInTheDocument();
    expect(screen.getByTestId('env-snapshot-restore')).toBeEnabled();
  });

  it('a production project: Apply waits until its name is typed', async () => {
    const { fake, user } = await openReview(undefined, markProduction);
    fake.env.respond('envApply', appliedAll());
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

  it("a production project: Rust's refusal of the typed name is shown and the edits stay staged", async () => {
    const { fake, user } = await openReview(undefined, markProduction);
    fake.fail('envApply', err('invalidInput', 'Type the project\'s name, billing-api, to apply to it.', { field: 'confirmName' }));
    await user.type(screen.getByTestId('env-review-confirm-input'), 'billing-api');
    await user.click(screen.getByTestId('env-review-apply'));
    expect(await screen.findByText(/Type the project's name, billing-api/)).toBeInTheDocument();
    expect(screen.getByTestId('env-review')).toBeInTheDocument();
    expect(screen.getAllByTestId('env-review-item')).toHaveLength(3);
    expect(screen.queryByTestId('env-notice')).not.toBeInTheDocument();
  });

  it('a project not marked as production asks for nothing more', async () => {
    await openReview();
    expect(screen.queryByTestId('env-review-production')).not.toBeInTheDocument();
    expect(screen.getByTestId('env-review-apply')).toBeEnabled();
  });

  it('nothingChanged: an information, not an error', async () => {
    const { fake, user } = await openReview();
    fake.api.envApply.mockResolvedValueOnce({ outcome: 'nothingChanged', draft: envDraft() });
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
    const removal = removed('API_BASE', 'https://api.example.com');
    const stillStaged = envDraft({ baseHash: 'hash-2', vars: { ...AFTER_APPLY, API_BASE: 'https://api.example.com' }, changes: [removal] });
    fake.env
      .respond('envApply', {
        outcome: 'partial',
        applied: [changed('LOG_LEVEL', 'debug', 'info'), added('NEW_FLAG', 'on')],
        notApplied: [removal],
        error: { kind: 'server', message: 'Hasura Cloud failed to delete the variables.', code: null, requestId: 'req-7' } as never,
        hash: 'hash-2',
        draft: stillStaged,
      })
      .respond('envApply', appliedOutcome([removal], envDraft({ baseHash: 'hash-3', vars: AFTER_APPLY })));
    await user.click(screen.getByTestId('env-review-apply'));

    const partial = await screen.findByTestId('env-review-partial');
    expect(partial).toHaveTextContent('Only part of the changes was applied');
    expect(partial).toHaveTextContent('Hasura Cloud failed to delete the variables.');
    const applied = within(partial).getByTestId('env-review-partial-applied');
    const notApplied = within(partial).getByTestId('env-review-partial-not-applied');
    expect([...applied.querySelectorAll('li')].map((li) => li.dataset.key)).toEqual(['LOG_LEVEL', 'NEW_FLAG']);
    expect([...notApplied.querySelectorAll('li')].map((li) => li.dataset.key)).toEqual(['API_BASE']);
    expect(notApplied).toHaveTextContent('API_BASE (removed)');

    // The review now shows what is still staged: the removal.
    await waitFor(() => expect(screen.getAllByTestId('env-review-item').map((i) => i.dataset.key)).toEqual(['API_BASE']));

    await user.click(within(partial).getByTestId('env-review-retry'));
    expect(await screen.findByTestId('env-notice')).toHaveTextContent('Applied 1 change');
    expect(fake.api.envApply).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(envKeys()).not.toContain('API_BASE'));
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
    fake.env.respond('envApply', appliedAll());
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
    fake.env.respond('envApply', appliedAll());
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
    const conflicts = [{ key: 'LOG_LEVEL', base: 'debug', theirs: 'trace', mine: 'info' }];
    const merged = ['API_BASE', 'NEW_FLAG'];
    fake.env.respond('envApply', {
      outcome: 'conflict',
      theirHash: 'hash-9',
      conflicts,
      mergedWithoutConflict: merged,
      draft: envDraft({ changes: STAGED, conflict: conflictOf('hash-9', conflicts, merged) }),
    });
    await user.click(screen.getByTestId('env-review-apply'));
    expect(await screen.findByTestId('env-conflicts')).toBeInTheDocument();
    expect(screen.queryByTestId('env-review')).not.toBeInTheDocument();
    expect(fake.api.envApply).toHaveBeenCalledTimes(1);
  });
});
