import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { makeRun, progression, task } from '../test/fake-preview';
import { fillStep1, previewFake, renderPreviews } from '../test/preview-setup';
import type { PreviewRun, TaskView } from '../lib/types';

const T0 = '2025-03-01T12:00:00.000Z';

function deploying(tasks: TaskView[], extra: Partial<PreviewRun> = {}): PreviewRun {
  return makeRun({
    phase: 'deploying',
    creation: {
      id: 'job-1',
      jobType: 'github-preview-app-creation',
      status: 'success',
      state: 'succeeded',
      tasks: [task('create-preview-app', { state: 'succeeded', startedAt: T0, finishedAt: T0, durationMs: 8000 })],
    },
    deployment: { id: 'job-2', jobType: 'github-preview-app-deployment', status: 'running', state: 'running', tasks },
    links: { projectId: 'proj-1', consoleUrl: 'https://cloud.hasura.io/project/proj-1/console', endpoint: null, graphqlUrl: null },
    ...extra,
  });
}

describe('PreviewTimeline', () => {
  it("Copy link copies the timeline's hasura-cloud-desktop:// link Rust made", async () => {
    const fake = previewFake();
    fake.preview.push(deploying([task('gh-validation')], { appLink: 'hasura-cloud-desktop://preview/job-1' }));
    const { user } = await renderPreviews(fake, 'run', 'job-1');
    await screen.findByTestId('preview-timeline');
    await user.click(await screen.findByTestId('pw-copy-app-link'));
    expect(await navigator.clipboard.readText()).toBe('hasura-cloud-desktop://preview/job-1');
  });

  it('shows each task: readable label with the raw name beside it, state, start and duration; unknown names raw, never "null"', async () => {
    const fake = previewFake();
    fake.preview.push(
      deploying([
        task('gh-validation', { state: 'succeeded', startedAt: T0, finishedAt: T0, durationMs: 65_000 }),
        task('brand-new-step', { label: 'brand-new-step', state: 'succeeded', startedAt: T0, durationMs: 1200 }),
        task('', { label: 'Unnamed step', state: 'pending', startedAt: null, durationMs: null }),
        { name: null, label: null, state: 'pending' } as unknown as TaskView,
        task('check-healthz'),
      ]),
    );
    const { result } = await renderPreviews(fake, 'run', 'job-1');
    await screen.findByTestId('preview-timeline');
    const deployment = within(screen.getByTestId('pw-deployment'));
    const rows = deployment.getAllByTestId('pw-task');
    expect(rows).toHaveLength(5);

    expect(within(rows[0]!).getByTestId('pw-task-label')).toHaveTextContent('Fetch metadata and migrations from GitHub');
    expect(within(rows[0]!).getByTestId('pw-task-raw')).toHaveTextContent('gh-validation');
    expect(within(rows[0]!).getByTestId('pw-task-raw')).toHaveClass('mono');
    expect(within(rows[0]!).getByTestId('pw-task-state')).toHaveTextContent('Done');
    expect(within(rows[0]!).getByTestId('pw-task-duration')).toHaveTextContent('1 min 05 s');
    expect(within(rows[0]!).getByTestId('pw-task-start')).toHaveAttribute('datetime', T0);

    expect(within(rows[1]!).getByTestId('pw-task-label')).toHaveTextContent('brand-new-step');
    expect(within(rows[1]!).queryByTestId('pw-task-raw')).not.toBeInTheDocument();
    expect(within(rows[1]!).getByTestId('pw-task-duration')).toHaveTextContent('1 s');

    expect(within(rows[2]!).getByTestId('pw-task-label')).toHaveTextContent('Unnamed step');
    expect(within(rows[3]!).getByTestId('pw-task-label')).toHaveTextContent('Unnamed step');
    expect(within(rows[4]!).getByTestId('pw-task-label')).toHaveTextContent('Check the project is healthy');
    expect(within(rows[4]!).getByTestId('pw-task-state')).toHaveTextContent('Waiting');
    expect(result.container.querySelector('[data-testid="preview-timeline"]')!.textContent).not.toMatch(/\bnull\b|undefined/);

    const creation = within(screen.getByTestId('pw-creation'));
    expect(creation.getByTestId('pw-creation-state')).toHaveTextContent('Succeeded');
    expect(creation.getByTestId('pw-task-label')).toHaveTextContent('Create the project');
  });

  it('a Go-formatted creation error reads as a sentence, the text Hasura Cloud sent shown on demand', async () => {
    const fake = previewFake();
    const raw =
      'error creating tenant: Message: there was an internal error while serving your request, Locations: [] ' +
      'Extensions: map[code:GenericServerError id:0b6a5a2e-2f3c-4c3d-9d53-3f4f5e6a7b8c]';
    const sentence =
      'Hasura Cloud had an internal problem while creating the project. Try again in a moment. If it keeps ' +
      'happening, quote request id 0b6a5a2e-2f3c-4c3d-9d53-3f4f5e6a7b8c to Hasura support.';
    fake.preview.push(
      makeRun({
        phase: 'failed',
        error: `Creating the preview app failed at “Create the project”: ${sentence}`,
        creation: {
          id: 'job-1',
          jobType: 'github-preview-app-creation',
          status: 'failed',
          state: 'failed',
          tasks: [task('create-preview-app', { state: 'failed', startedAt: T0, finishedAt: T0, error: sentence, errorDetail: raw })],
        },
        nextPollInMs: null,
      }),
    );
    const { user } = await renderPreviews(fake, 'run', 'job-1');
    await screen.findByTestId('preview-timeline');
    const creation = within(screen.getByTestId('pw-creation'));
    expect(creation.getByTestId('pw-task-error')).toHaveTextContent('internal problem while creating the project');
    expect(creation.getByTestId('pw-task-error')).not.toHaveTextContent('map[');
    const detail = creation.getByTestId('pw-task-error-detail');
    expect(detail).not.toHaveAttribute('open');
    expect(creation.getByTestId('pw-task-error-raw')).not.toBeVisible();
    await user.click(within(detail).getByText('The error as Hasura Cloud sent it'));
    expect(detail).toHaveAttribute('open');
    expect(creation.getByTestId('pw-task-error-raw')).toHaveTextContent(raw);
  });

  it('a running task’s duration ticks between reports', async () => {
    const fake = previewFake();
    fake.preview.push(deploying([task('apply-metadata', { state: 'running', startedAt: T0, durationMs: 5_000 })]));
    await renderPreviews(fake, 'run', 'job-1');
    const duration = within(await screen.findByTestId('pw-deployment')).getByTestId('pw-task-duration');
    expect(duration).toHaveTextContent(/^[56] s$/);
    await waitFor(() => expect(duration).toHaveTextContent(/^[67] s$/), { timeout: 2500 });
    expect(within(screen.getByTestId('pw-deployment')).getByTestId('pw-task-state')).toHaveTextContent('Running');
    expect(screen.getByTestId('pw-banner')).toHaveAttribute('data-phase', 'deploying');
  });

  it('follows the run live as the app reports changes, to success with links', async () => {
    const fake = previewFake();
    const { user, ctx } = await renderPreviews(fake, 'new');
    await fillStep1(user, { branch: 'feature-login' });
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-next'));
    // What the app's watcher will report for this run, to success.
    fake.preview.respond('previewCreate', progression({ id: 'job-7', name: 'feature-login' }));
    await user.click(screen.getByTestId('pw-create'));
    await screen.findByTestId('preview-timeline');
    expect(screen.getByTestId('pw-deployment-waiting')).toHaveTextContent('Starts once the project is created');

    fake.preview.step(); // creation task running
    await waitFor(() => expect(within(screen.getByTestId('pw-creation')).getByTestId('pw-task-state')).toHaveTextContent('Running'));
    fake.preview.step(); // creation done → deploying
    await waitFor(() => expect(screen.getByTestId('pw-phase')).toHaveAttribute('data-phase', 'deploying'));
    expect(within(screen.getByTestId('pw-deployment')).getAllByTestId('pw-task')).toHaveLength(6);
    fake.preview.step(); // gh-validation running
    await waitFor(() =>
      expect(screen.getByTestId('pw-deployment').querySelector('[data-task="gh-validation"]')).toHaveAttribute('data-state', 'running'),
    );

    // Leave and come back: the same live state, from previewRuns.
    await user.click(screen.getByTestId('nav-projects'));
    fake.preview.step(); // gh-validation done, while away
    ctx.nav.go({ name: 'previews', view: 'run', runId: fake.preview.latestId! });
    await waitFor(() =>
      expect(screen.getByTestId('pw-deployment').querySelector('[data-task="gh-validation"]')).toHaveAttribute('data-state', 'succeeded'),
    );

    fake.preview.finish();
    expect(await screen.findByTestId('pw-success')).toHaveTextContent('feature-login is ready');
    expect(screen.getByTestId('pw-phase')).toHaveTextContent('Ready');
    expect(within(screen.getByTestId('pw-deployment')).getAllByTestId('pw-task').every((t) => t.dataset.state === 'succeeded')).toBe(true);
    expect(screen.getByTestId('pw-graphql-url')).toHaveTextContent('https://feature-login.hasura.app/v1/graphql');

    const run = fake.preview.run(fake.preview.latestId!)!;
    await user.click(screen.getByTestId('pw-open-console'));
    expect(fake.api.openExternal).toHaveBeenCalledWith(run.links!.projectId, 'console');
    await user.click(screen.getByTestId('pw-open-project'));
    expect(ctx.nav.route).toEqual({ name: 'project', projectId: run.links!.projectId });
  });

  it('a failure ends in Failed with the task’s error and GitHub detail', async () => {
    const fake = previewFake();
    const { user } = await renderPreviews(fake, 'new');
    await fillStep1(user, { repository: 'acme/shop', branch: 'main', directory: 'missing-folder' });
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-next'));
    // Hasura Cloud finds no such folder: the watcher reports gh-validation failed.
    fake.preview.respond(
      'previewCreate',
      progression({
        id: 'job-8',
        name: 'main',
        failAt: {
          task: 'gh-validation',
          error: 'The folder “missing-folder” was not found in acme/shop on branch main.',
          githubDetail: 'fetching metadata and migrations from acme/shop@main:missing-folder',
        },
      }),
    );
    await user.click(screen.getByTestId('pw-create'));
    await screen.findByTestId('preview-timeline');
    fake.preview.finish();
    const error = await screen.findByTestId('pw-run-error');
    expect(error).toHaveTextContent('main failed');
    expect(error).toHaveTextContent('“missing-folder” was not found in acme/shop');
    const failed = screen.getByTestId('pw-deployment').querySelector('[data-task="gh-validation"]') as HTMLElement;
    expect(failed).toHaveAttribute('data-state', 'failed');
    expect(within(failed).getByTestId('pw-task-state')).toHaveTextContent('Failed');
    expect(within(failed).getByTestId('pw-task-error')).toHaveTextContent('was not found');
    expect(within(failed).getByTestId('pw-task-github')).toHaveTextContent('fetching metadata and migrations from acme/shop@main:missing-folder');
    // The rest never started.
    expect(screen.getByTestId('pw-deployment').querySelector('[data-task="check-healthz"]')).toHaveAttribute('data-state', 'pending');
    expect(screen.getByTestId('pw-dismiss')).toBeInTheDocument();
  });

  it('a rejected GitHub token, an unreadable repository and the monthly limit read clearly', async () => {
    const fake = previewFake();
    for (const [id, message] of [
      ['job-a', 'GitHub refused the token. It may have expired or been revoked — replace it in the wizard.'],
      ['job-b', 'Hasura Cloud could not read acme/private: check the token has read access to it.'],
      ['job-c', 'Your account has used its 60 preview-app calls this month. They reset on the 1st.'],
    ] as const) {
      fake.preview.push(makeRun({ id, name: id, phase: 'failed', error: message, nextPollInMs: null }));
    }
    const { ctx, user } = await renderPreviews(fake, 'run', 'job-a');
    expect(await screen.findByTestId('pw-run-error')).toHaveTextContent('GitHub refused the token');
    expect(screen.queryByTestId('sign-in-again')).not.toBeInTheDocument(); // not the Hasura Cloud token
    await user.click(screen.getByTestId('pw-replace-token'));
    expect(ctx.nav.route).toEqual({ name: 'previews', view: 'new' });
    expect(await screen.findByTestId('github-token-replace')).toBeInTheDocument();
    ctx.nav.go({ name: 'previews', view: 'run', runId: 'job-b' });
    await waitFor(() => expect(screen.getByTestId('pw-run-error')).toHaveTextContent('could not read acme/private'));
    expect(screen.queryByTestId('pw-replace-token')).not.toBeInTheDocument();
    ctx.nav.go({ name: 'previews', view: 'run', runId: 'job-c' });
    await waitFor(() => expect(screen.getByTestId('pw-run-error')).toHaveTextContent('60 preview-app calls this month'));
  });

  it('two creations with the same name: the first is skipped, with the explanation and a way to the newer one', async () => {
    const fake = previewFake();
    fake.preview.respond(
      'previewCreate',
      progression({ id: 'job-first', name: 'feature-x', t0: Date.now() - 60_000 }),
      progression({ id: 'job-second', name: 'feature-x' }),
    );
    const { user, ctx } = await renderPreviews(fake, 'new');
    await fillStep1(user, { branch: 'feature-x' });
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-create'));
    await screen.findByTestId('preview-timeline');
    const first = fake.preview.latestId!;

    ctx.nav.go({ name: 'previews', view: 'new' });
    await fillStep1(user, { branch: 'feature-x' });
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-next'));
    await user.click(screen.getByTestId('pw-create'));
    await screen.findByTestId('preview-timeline');
    const second = fake.preview.latestId!;
    expect(second).not.toBe(first);
    // The watcher reports that Hasura Cloud skipped the first.
    const skippedRun = fake.preview.run(first)!;
    fake.preview.push({
      ...skippedRun,
      phase: 'skipped',
      creation: { ...skippedRun.creation!, status: 'skipped', state: 'skipped' },
      error: 'A newer creation of feature-x took over; Hasura Cloud skipped this one.',
      updatedAt: new Date(Date.parse(skippedRun.updatedAt) + 1).toISOString(),
      nextPollInMs: null,
    });

    ctx.nav.go({ name: 'previews', view: 'run', runId: first });
    const skipped = await screen.findByTestId('pw-skipped');
    expect(skipped).toHaveTextContent('a newer creation with the same name took over');
    expect(screen.getByTestId('pw-phase')).toHaveAttribute('data-phase', 'skipped');
    expect(within(screen.getByTestId('pw-creation')).getByTestId('pw-creation-state')).toHaveTextContent('Skipped');
    expect(screen.getByTestId('pw-deployment-waiting')).toHaveTextContent('Did not start');
    await user.click(screen.getByTestId('pw-show-newer'));
    expect(ctx.nav.route).toEqual({ name: 'previews', view: 'run', runId: second });

    // The list of this session's runs shows both.
    ctx.nav.go({ name: 'previews' });
    const items = await screen.findAllByTestId('pw-run-item');
    expect(items.map((i) => i.dataset.phase)).toEqual(['creating', 'skipped']);
  });

  it('gave up → Keep watching asks the app to follow the job again', async () => {
    const fake = previewFake();
    fake.preview.push(
      deploying([task('apply-migration', { state: 'running', startedAt: T0, durationMs: 600_000 })], {
        phase: 'gaveUp',
        error: 'Still running after 30 minutes; the preview app may still come up. Watch again',
        nextPollInMs: null,
      }),
    );
    // Asked to watch again, the app follows the job: the run is deploying again.
    fake.preview.respond(
      'previewWatch',
      deploying([task('apply-migration', { state: 'running', startedAt: T0, durationMs: 600_000 })], {
        updatedAt: new Date(Date.now() + 1000).toISOString(),
      }),
    );
    const { user } = await renderPreviews(fake, 'run', 'job-1');
    const note = await screen.findByTestId('pw-gave-up');
    expect(note).toHaveTextContent('Still running after 30 minutes');
    expect(screen.getByTestId('pw-phase')).toHaveTextContent('Stopped watching');
    await user.click(screen.getByTestId('pw-keep-watching'));
    expect(fake.api.previewWatch).toHaveBeenCalledWith('job-1');
    await waitFor(() => expect(screen.getByTestId('pw-phase')).toHaveAttribute('data-phase', 'deploying'));
    expect(screen.queryByTestId('pw-keep-watching')).not.toBeInTheDocument();
  });

  it('lost and polling trouble', async () => {
    const fake = previewFake();
    fake.preview.push(
      makeRun({ id: 'job-1', pollError: { kind: 'network', message: 'Could not reach Hasura Cloud.' }, nextPollInMs: 4000 }),
    );
    const { ctx } = await renderPreviews(fake, 'run', 'job-1');
    const trouble = await screen.findByTestId('pw-poll-error');
    expect(trouble).toHaveTextContent('Connection trouble — still trying.');
    expect(trouble).toHaveTextContent('Could not reach Hasura Cloud.');
    expect(trouble).toHaveAttribute('role', 'status'); // quiet, not an alert
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    fake.preview.push(
      makeRun({
        id: 'job-1',
        phase: 'lost',
        error: 'The job is gone from Hasura Cloud; it may have been deleted.',
        pollError: null,
        updatedAt: new Date(Date.now() + 5000).toISOString(),
        nextPollInMs: null,
      }),
    );
    expect(await screen.findByTestId('pw-run-lost')).toHaveTextContent('The job is gone from Hasura Cloud');
    expect(screen.queryByTestId('pw-poll-error')).not.toBeInTheDocument();
    void ctx;
  });

  it('an older snapshot arriving late does not undo a newer one', async () => {
    const fake = previewFake();
    const newer = makeRun({ phase: 'deploying', updatedAt: '2025-03-01T12:00:10.000Z', polls: 5 });
    fake.preview.push(newer);
    await renderPreviews(fake, 'run', 'job-1');
    await waitFor(() => expect(screen.getByTestId('pw-phase')).toHaveAttribute('data-phase', 'deploying'));
    fake.preview.emit(makeRun({ phase: 'creating', updatedAt: '2025-03-01T12:00:05.000Z', polls: 3 }));
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('pw-phase')).toHaveAttribute('data-phase', 'deploying');
  });

  it('dismissing a finished run removes it', async () => {
    const fake = previewFake();
    fake.preview.push(makeRun({ phase: 'failed', error: 'Broken.', nextPollInMs: null }));
    const { user, ctx } = await renderPreviews(fake, 'run', 'job-1');
    await user.click(await screen.findByTestId('pw-dismiss'));
    expect(fake.api.previewDismiss).toHaveBeenCalledWith('job-1');
    await waitFor(() => expect(ctx.nav.route).toEqual({ name: 'previews' }));
    expect(screen.queryByTestId('pw-run-item')).not.toBeInTheDocument();
  });
});
