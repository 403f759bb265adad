import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { err, makeProject } from '../test/fake-api';
import { makeRun } from '../test/fake-preview';
import { previewFake, renderPreviews } from '../test/preview-setup';
import type { AppError, PreviewAppRow } from '../lib/types';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function withApps() {
  const fake = previewFake();
  const alpha = makeProject(1, { name: 'pr-alpha' });
  const beta = makeProject(2, { name: 'pr-beta' });
  const gamma = makeProject(3, { name: 'pr-gamma' });
  fake.projects.push(alpha, beta, gamma);
  const row = (name: string, extra: Partial<PreviewAppRow>): PreviewAppRow => ({
    name,
    state: 'succeeded',
    status: 'success',
    latestJobId: `job-${name}`,
    jobType: 'github-preview-app-deployment',
    createdAt: minutesAgo(3),
    projectId: null,
    tenantId: null,
    endpoint: null,
    duplicate: false,
    ...extra,
  });
  fake.preview.apps = [
    row('pr-alpha', { projectId: alpha.id, tenantId: alpha.tenantId, createdAt: minutesAgo(3) }),
    row('pr-beta', { state: 'running', status: 'running', projectId: beta.id, tenantId: beta.tenantId, createdAt: minutesAgo(125) }),
    row('pr-gamma', { state: 'failed', status: 'failed', projectId: gamma.id, tenantId: gamma.tenantId, createdAt: minutesAgo(60 * 24 * 3) }),
    row('pr-gone', { projectId: '10000000-0000-4000-8000-00000000dead', createdAt: minutesAgo(0) }),
    row('pr-skipped', { state: 'skipped', status: 'skipped', jobType: 'github-preview-app-creation' }),
  ];
  return fake;
}

function appRow(name: string): HTMLElement {
  const el = screen.getAllByTestId('pw-app-row').find((r) => r.dataset.name === name);
  if (!el) throw new Error(`no row ${name}`);
  return el;
}

describe('PreviewAppsList', () => {
  it('lists name, state, age and whether the project exists; Refresh reloads', async () => {
    const fake = withApps();
    const { user } = await renderPreviews(fake);
    const rows = await screen.findAllByTestId('pw-app-row');
    expect(rows.map((r) => r.dataset.name)).toEqual(['pr-alpha', 'pr-beta', 'pr-gamma', 'pr-gone', 'pr-skipped']);
    expect(appRow('pr-alpha')).toHaveTextContent('Succeeded');
    expect(within(appRow('pr-alpha')).getByTestId('pw-app-age')).toHaveTextContent('3 min ago');
    expect(within(appRow('pr-beta')).getByTestId('pw-app-age')).toHaveTextContent('2 h ago');
    expect(within(appRow('pr-gamma')).getByTestId('pw-app-age')).toHaveTextContent('3 days ago');
    expect(within(appRow('pr-gone')).getByTestId('pw-app-age')).toHaveTextContent('just now');
    expect(appRow('pr-beta')).toHaveTextContent('Running');
    expect(appRow('pr-gamma')).toHaveTextContent('Failed');
    expect(appRow('pr-skipped')).toHaveTextContent('Skipped');
    expect(within(appRow('pr-alpha')).getByTestId('pw-app-project')).toHaveTextContent('Exists');
    expect(within(appRow('pr-gone')).getByTestId('pw-app-project')).toHaveTextContent('Deleted');
    expect(within(appRow('pr-skipped')).getByTestId('pw-app-project')).toHaveTextContent('Not created');
    expect(within(appRow('pr-gone')).getByTestId('pw-app-select')).toBeDisabled();

    fake.preview.apps = fake.preview.apps.slice(0, 1);
    await user.click(screen.getByTestId('pw-apps-refresh'));
    await waitFor(() => expect(screen.getAllByTestId('pw-app-row')).toHaveLength(1));
    expect(fake.api.previewApps).toHaveBeenCalledTimes(2);
  });

  it('a duplicated preview app is a row per project, each marked, and one can be deleted alone', async () => {
    const fake = previewFake();
    const first = makeProject(1, { name: 'pr-twice' });
    const second = makeProject(2, { name: 'pr-twice' });
    fake.projects.push(first, second);
    const twin = (p: typeof first): PreviewAppRow => ({
      name: 'pr-twice',
      state: 'succeeded',
      status: 'success',
      latestJobId: 'job-twice',
      jobType: 'github-preview-app-deployment',
      createdAt: minutesAgo(2),
      projectId: p.id,
      tenantId: p.tenantId,
      endpoint: p.endpoint,
      duplicate: true,
    });
    fake.preview.apps = [twin(first), twin(second)];
    const { user } = await renderPreviews(fake);
    const rows = await screen.findAllByTestId('pw-app-row');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toHaveAttribute('data-duplicate', 'true');
      expect(within(row).getByTestId('pw-app-duplicate')).toHaveTextContent('Duplicate');
      expect(row).toHaveTextContent('more than one project with this name');
    }
    // Each row names its project, so the two can be told apart.
    expect(rows[0]).toHaveTextContent(first.id.slice(0, 8));
    expect(rows[1]).toHaveTextContent(second.id.slice(0, 8));

    await user.click(within(rows[1]!).getByTestId('pw-app-select'));
    expect(within(rows[0]!).getByTestId('pw-app-select')).not.toBeChecked();
    expect(screen.getByTestId('pw-apps-delete')).toHaveTextContent('Delete (1)');
    await user.click(screen.getByTestId('pw-apps-delete'));
    const dialog = await screen.findByTestId('pw-cleanup-dialog');
    await user.type(within(dialog).getByTestId('pw-cleanup-confirm-input'), 'pr-twice');
    await user.click(within(dialog).getByTestId('pw-cleanup-confirm'));
    await screen.findByTestId('pw-cleanup-report');
    expect(fake.api.previewCleanup).toHaveBeenCalledWith({
      items: [{ tenantId: second.tenantId, name: 'pr-twice' }],
      confirmName: 'pr-twice',
    });
  });

  it('shows a load error with Retry', async () => {
    const fake = withApps().fail('previewApps', err('network', 'Could not reach Hasura Cloud.'));
    const { user } = await renderPreviews(fake);
    const e = await screen.findByTestId('pw-apps-error');
    expect(e).toHaveTextContent('Could not reach Hasura Cloud.');
    await user.click(within(e).getByTestId('retry-button'));
    expect(await screen.findAllByTestId('pw-app-row')).toHaveLength(5);
  });

  it('one selected: delete after typing its name; the report says what was deleted', async () => {
    const fake = withApps();
    // Rust deletes pr-alpha's project: from then on the project list and the preview-app list say so.
    fake.preview.respond('previewCleanup', () => {
      fake.projects = fake.projects.filter((p) => p.name !== 'pr-alpha');
      fake.preview.apps = fake.preview.apps.map((a) => (a.name === 'pr-alpha' ? { ...a, tenantId: null, endpoint: null } : a));
      return { deleted: ['pr-alpha'], failed: [] };
    });
    const { user } = await renderPreviews(fake);
    await screen.findAllByTestId('pw-app-row');
    expect(screen.getByTestId('pw-apps-delete')).toBeDisabled();
    await user.click(within(appRow('pr-alpha')).getByTestId('pw-app-select'));
    expect(screen.getByTestId('pw-apps-delete')).toHaveTextContent('Delete (1)');
    await user.click(screen.getByTestId('pw-apps-delete'));

    const dialog = await screen.findByTestId('pw-cleanup-dialog');
    expect(dialog).toHaveTextContent('Delete the preview app pr-alpha?');
    const input = within(dialog).getByTestId('pw-cleanup-confirm-input');
    expect(input).toHaveFocus();
    const confirm = within(dialog).getByTestId('pw-cleanup-confirm');
    expect(confirm).toBeDisabled();
    await user.type(input, 'pr-alph');
    expect(confirm).toBeDisabled();
    await user.type(input, 'a');
    expect(confirm).toBeEnabled();
    await user.click(confirm);

    const report = await screen.findByTestId('pw-cleanup-report');
    expect(within(report).getByTestId('pw-cleanup-deleted')).toHaveTextContent('pr-alpha');
    expect(within(report).queryByTestId('pw-cleanup-failed')).not.toBeInTheDocument();
    expect(fake.api.previewCleanup).toHaveBeenCalledWith({
      items: [{ tenantId: makeProject(1).tenantId, name: 'pr-alpha' }],
      confirmName: 'pr-alpha',
    });
    expect(screen.queryByTestId('pw-cleanup-dialog')).not.toBeInTheDocument();
    await waitFor(() => expect(within(appRow('pr-alpha')).getByTestId('pw-app-project')).toHaveTextContent('Deleted'));
  });

  it('several selected: a summary to confirm, then deleted and failed with reasons', async () => {
    const fake = withApps();
    const busy = { kind: 'server', message: 'tenant is being updated, try again later', code: null, requestId: null } as AppError;
    fake.preview.respond('previewCleanup', { deleted: ['pr-alpha', 'pr-beta'], failed: [{ name: 'pr-gamma', error: busy }] });
    const { user } = await renderPreviews(fake);
    await screen.findAllByTestId('pw-app-row');
    await user.click(within(appRow('pr-alpha')).getByTestId('pw-app-select'));
    await user.click(within(appRow('pr-beta')).getByTestId('pw-app-select'));
    await user.click(within(appRow('pr-gamma')).getByTestId('pw-app-select'));
    await user.click(screen.getByTestId('pw-apps-delete'));

    const dialog = await screen.findByTestId('pw-cleanup-dialog');
    expect(dialog).toHaveTextContent('Delete 3 preview apps?');
    const names = within(dialog).getByTestId('pw-cleanup-names');
    expect(within(names).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['pr-alpha', 'pr-beta', 'pr-gamma']);
    expect(within(dialog).queryByTestId('pw-cleanup-confirm-input')).not.toBeInTheDocument();
    expect(within(dialog).getByTestId('pw-cleanup-cancel')).toHaveFocus();
    await user.click(within(dialog).getByTestId('pw-cleanup-confirm'));

    const report = await screen.findByTestId('pw-cleanup-report');
    expect(within(report).getByTestId('pw-cleanup-deleted')).toHaveTextContent('pr-alpha, pr-beta');
    const failed = within(report).getByTestId('pw-cleanup-failed');
    expect(failed).toHaveTextContent('pr-gamma');
    expect(failed).toHaveTextContent('tenant is being updated, try again later');
    expect(fake.api.previewCleanup).toHaveBeenCalledWith(expect.objectContaining({ confirmName: null }));
    await user.click(screen.getByTestId('pw-cleanup-report-close'));
    expect(screen.queryByTestId('pw-cleanup-report')).not.toBeInTheDocument();
  });

  it('select all picks only rows with a project; Cancel and Escape delete nothing', async () => {
    const fake = withApps();
    const { user } = await renderPreviews(fake);
    await screen.findAllByTestId('pw-app-row');
    await user.click(screen.getByTestId('pw-apps-select-all'));
    expect(screen.getByTestId('pw-apps-delete')).toHaveTextContent('Delete (3)');
    await user.click(screen.getByTestId('pw-apps-delete'));
    await user.click(within(await screen.findByTestId('pw-cleanup-dialog')).getByTestId('pw-cleanup-cancel'));
    expect(screen.queryByTestId('pw-cleanup-dialog')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('pw-apps-delete'));
    await screen.findByTestId('pw-cleanup-dialog');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('pw-cleanup-dialog')).not.toBeInTheDocument();
    expect(fake.api.previewCleanup).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('pw-apps-select-all'));
    expect(screen.getByTestId('pw-apps-delete')).toBeDisabled();
  });

  it('a cleanup that fails as a whole keeps the dialog open with the message', async () => {
    const fake = withApps().fail('previewCleanup', err('notSignedIn', 'Sign in to this profile first.'));
    const { user } = await renderPreviews(fake);
    await screen.findAllByTestId('pw-app-row');
    await user.click(within(appRow('pr-beta')).getByTestId('pw-app-select'));
    await user.click(screen.getByTestId('pw-apps-delete'));
    await user.type(await screen.findByTestId('pw-cleanup-confirm-input'), 'pr-beta');
    await user.click(screen.getByTestId('pw-cleanup-confirm'));
    expect(await screen.findByTestId('pw-cleanup-error')).toHaveTextContent('Sign in to this profile first.');
    expect(screen.getByTestId('pw-cleanup-dialog')).toBeInTheDocument();
  });

  it('Timeline follows the row’s latest job and opens its run', async () => {
    const fake = withApps();
    fake.preview.respond('previewWatch', makeRun({ id: 'job-pr-beta', name: 'pr-beta', phase: 'creating' }));
    const { user, ctx } = await renderPreviews(fake);
    await screen.findAllByTestId('pw-app-row');
    await user.click(within(appRow('pr-beta')).getByTestId('pw-app-watch'));
    expect(fake.api.previewWatch).toHaveBeenCalledWith('job-pr-beta');
    await waitFor(() => expect(ctx.nav.route).toEqual({ name: 'previews', view: 'run', runId: 'job-pr-beta' }));
    expect(await screen.findByTestId('preview-timeline')).toBeInTheDocument();
    expect(screen.getByTestId('pw-phase')).toHaveAttribute('data-phase', 'creating');
  });
});
