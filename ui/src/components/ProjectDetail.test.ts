import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import ProjectDetail from './ProjectDetail.svelte';
import { cloudProfile, createFake, err, makeProject } from '../test/fake-api';
import { added, draftOf } from '../test/env-draft';
import { renderWith, signedIn } from '../test/render';

const project = makeProject(1, { name: 'billing-api', slug: 'billing-api', endpoint: 'https://billing-api.hasura.app' });

async function setup(extra: Partial<typeof project> = {}) {
  const fake = createFake({ profiles: [cloudProfile()], projects: [{ ...project, ...extra }, makeProject(2)] });
  const r = await renderWith(ProjectDetail, fake, {
    props: { projectId: project.id },
    prepare: async (ctx) => {
      await signedIn(ctx);
      await ctx.projects.load();
      ctx.nav.go({ name: 'project', projectId: project.id });
    },
  });
  return { fake, ...r };
}

describe('ProjectDetail', () => {
  it('shows loading, then every field with a copy button', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [project] });
    const release = fake.hold('projectDetails');
    await renderWith(ProjectDetail, fake, { props: { projectId: project.id }, prepare: signedIn });
    expect(screen.getByTestId('detail-loading')).toBeInTheDocument();
    release();

    expect(await screen.findByTestId('detail-name')).toHaveTextContent('billing-api');
    expect(fake.api.projectDetails).toHaveBeenCalledWith(project.id);
    const expected: Record<string, string> = {
      'project-id': project.id,
      'tenant-id': project.tenantId!,
      slug: 'billing-api',
      endpoint: 'https://billing-api.hasura.app',
      'graphql-url': 'https://billing-api.hasura.app/v1/graphql',
      cloud: 'Google Cloud',
      region: project.region!,
      plan: 'Professional',
    };
    for (const [key, text] of Object.entries(expected)) {
      expect(screen.getByTestId(`detail-${key}-value`)).toHaveTextContent(text);
      expect(screen.getByTestId(`copy-${key}`)).toBeInTheDocument();
    }
    expect(screen.getByTestId('detail-created-value')).toHaveTextContent('2024');
    expect(screen.getByTestId('copy-created')).toBeInTheDocument();
  });

  it("shows the project's NAT IP with a copy button and what it is for", async () => {
    const { user } = await setup();
    await screen.findByTestId('detail-name');
    // makeProject(1) is in gcp europe-west1, whose NAT IP the fake's region list gives.
    expect(screen.getByTestId('detail-nat-ip-value')).toHaveTextContent('198.51.100.13');
    expect(screen.getByTestId('detail-nat-ip-hint')).toHaveTextContent("allow it in your database's firewall");
    await user.click(screen.getByTestId('copy-nat-ip'));
    expect(await navigator.clipboard.readText()).toBe('198.51.100.13');
  });

  it('says so when Hasura Cloud gave no NAT IP', async () => {
    await setup({ cloud: 'azure', region: 'eastus' });
    await screen.findByTestId('detail-name');
    expect(screen.getByTestId('detail-nat-ip-value')).toHaveTextContent('—');
    expect(screen.queryByTestId('copy-nat-ip')).not.toBeInTheDocument();
    expect(screen.getByTestId('detail-nat-ip-hint')).toHaveTextContent('did not say');
  });

  it('copies a value and says "Copied"', async () => {
    const { user } = await setup();
    await screen.findByTestId('detail-name');
    await user.click(screen.getByTestId('copy-tenant-id'));
    expect(await navigator.clipboard.readText()).toBe(project.tenantId);
    expect(screen.getByTestId('copy-tenant-id')).toHaveTextContent('Copied');
  });

  it('Copy link copies the hasura-cloud-desktop:// link Rust made for the tab shown', async () => {
    const { user } = await setup();
    await screen.findByTestId('detail-name');
    await user.click(screen.getByTestId('copy-app-link'));
    expect(await navigator.clipboard.readText()).toBe(`hasura-cloud-desktop://project/${project.id}`);
    expect(screen.getByTestId('copy-app-link')).toHaveTextContent('Copied');
    await user.click(screen.getByRole('tab', { name: /Environment variables/ }));
    await user.click(screen.getByTestId('copy-app-link'));
    expect(await navigator.clipboard.readText()).toBe(`hasura-cloud-desktop://project/${project.id}/env`);
  });

  it('shows an error with a Retry that retries', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [project] }).fail(
      'projectDetails',
      err('timeout', 'Hasura Cloud did not answer in time.'),
    );
    const { user } = await renderWith(ProjectDetail, fake, { props: { projectId: project.id }, prepare: signedIn });
    const error = await screen.findByTestId('detail-error');
    expect(error).toHaveTextContent('Hasura Cloud did not answer in time.');
    await user.click(within(error).getByTestId('retry-button'));
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('billing-api');
    expect(fake.api.projectDetails).toHaveBeenCalledTimes(2);
  });

  it('opens the console and the dashboard through openExternal', async () => {
    const { fake, user } = await setup();
    await screen.findByTestId('detail-name');
    await user.click(screen.getByTestId('open-console'));
    expect(fake.api.openExternal).toHaveBeenCalledWith(project.id, 'console');
    await user.click(screen.getByTestId('open-dashboard'));
    expect(fake.api.openExternal).toHaveBeenCalledWith(project.id, 'dashboard');

    fake.fail('openExternal', err('internal', 'No browser could be opened.'));
    await user.click(screen.getByTestId('open-console'));
    expect(await screen.findByTestId('external-error')).toHaveTextContent('No browser could be opened.');
  });

  it('rename validates as typed, warns about the endpoint, and calls renameProject', async () => {
    const { fake, ctx, user } = await setup();
    await screen.findByTestId('detail-name');
    await user.click(screen.getByTestId('rename-button'));
    const input = screen.getByTestId('rename-input');
    expect(input).toHaveValue('billing-api');
    expect(screen.getByTestId('rename-note')).toHaveTextContent('changes the project');
    expect(screen.getByTestId('rename-note')).toHaveTextContent('DNS');
    expect(screen.getByTestId('rename-submit')).toBeDisabled(); // unchanged

    // Scripted answers; the rule is Rust's (app_core::validate::project_name).
    fake.fieldProblems.projectName = (text) =>
      ({ Billing: 'This name has characters that are not allowed.', ab: 'This name is too short.' })[text] ?? null;
    await user.clear(input);
    await user.type(input, 'Billing');
    expect(await screen.findByTestId('rename-error')).toHaveTextContent('not allowed');
    expect(fake.api.checkField).toHaveBeenLastCalledWith({ rule: 'projectName', text: 'Billing' });
    expect(screen.getByTestId('rename-submit')).toBeDisabled();
    await user.clear(input);
    await user.type(input, 'ab');
    await waitFor(() => expect(screen.getByTestId('rename-error')).toHaveTextContent('too short'));
    await user.clear(input);
    await user.type(input, 'billing-v2');
    await waitFor(() => expect(screen.queryByTestId('rename-error')).not.toBeInTheDocument());

    await user.click(screen.getByTestId('rename-submit'));
    expect(fake.api.renameProject).toHaveBeenCalledWith(project.tenantId, 'billing-v2');
    await waitFor(() => expect(screen.getByTestId('detail-name')).toHaveTextContent('billing-v2'));
    expect(ctx.projects.find(project.id)?.name).toBe('billing-v2');
    expect(screen.getByTestId('detail-endpoint-value')).toHaveTextContent('https://billing-v2.hasura.app');
  });

  it('rename: server invalidInput lands at the name field and keeps what was typed', async () => {
    const { fake, user } = await setup();
    await screen.findByTestId('detail-name');
    fake.fail('renameProject', err('invalidInput', 'This name is already taken.', { field: 'name' }));
    await user.click(screen.getByTestId('rename-button'));
    const input = screen.getByTestId('rename-input');
    await user.clear(input);
    await user.type(input, 'taken-name');
    await user.click(screen.getByTestId('rename-submit'));
    expect(await screen.findByTestId('rename-error')).toHaveTextContent('This name is already taken.');
    expect(input).toHaveValue('taken-name');
  });

  it('delete dialog spells out the loss and enables Delete only on the exact name', async () => {
    const { fake, ctx, user } = await setup();
    await screen.findByTestId('detail-name');
    const opener = screen.getByTestId('delete-button');
    await user.click(opener);
    const dialog = screen.getByTestId('delete-dialog');
    expect(dialog).toHaveAttribute('role', 'alertdialog');
    const losses = within(dialog).getByTestId('delete-losses');
    expect(losses).toHaveTextContent('billing-api');
    expect(losses).toHaveTextContent('endpoint');
    expect(losses).toHaveTextContent('environment variables');
    expect(losses).toHaveTextContent('metadata');
    expect(dialog).toHaveTextContent('cannot be undone');

    const input = screen.getByTestId('delete-confirm-input');
    const button = screen.getByTestId('delete-confirm-button');
    await waitFor(() => expect(input).toHaveFocus());
    expect(button).toBeDisabled();
    await user.type(input, 'billing-ap');
    expect(button).toBeDisabled();
    await user.type(input, 'i ');
    expect(button).toBeDisabled();
    await user.clear(input);
    await user.type(input, 'BILLING-API');
    expect(button).toBeDisabled();
    await user.clear(input);
    await user.type(input, 'billing-api');
    expect(button).toBeEnabled();

    await user.click(button);
    expect(fake.api.deleteProject).toHaveBeenCalledWith({ tenantId: project.tenantId, confirmName: 'billing-api' });
    await waitFor(() => expect(ctx.nav.route).toEqual({ name: 'projects' }));
    expect(ctx.projects.find(project.id)).toBeNull();
  });

  it('delete dialog closes on Escape and returns focus; errors keep the dialog open', async () => {
    const { fake, user } = await setup();
    await screen.findByTestId('detail-name');
    const opener = screen.getByTestId('delete-button');
    await user.click(opener);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('delete-dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();

    fake.fail('deleteProject', err('invalidInput', 'The name does not match the project.', { field: 'confirmName' }));
    await user.click(opener);
    await user.type(screen.getByTestId('delete-confirm-input'), 'billing-api');
    await user.click(screen.getByTestId('delete-confirm-button'));
    expect(await screen.findByTestId('delete-confirm-error')).toHaveTextContent('The name does not match the project.');
    expect(screen.getByTestId('delete-confirm-input')).toHaveValue('billing-api');

    fake.fail('deleteProject', err('server', 'Hasura Cloud failed.', { requestId: 'req-1' }));
    await user.click(screen.getByTestId('delete-confirm-button'));
    const e = await screen.findByTestId('delete-error');
    expect(e).toHaveTextContent('Hasura Cloud failed.');
    expect(e).toHaveTextContent('req-1');
  });

  it('without a tenant id, rename and delete are explained instead of offered', async () => {
    await setup({ tenantId: null });
    await screen.findByTestId('detail-name');
    expect(screen.queryByTestId('rename-button')).not.toBeInTheDocument();
    expect(screen.queryByTestId('delete-button')).not.toBeInTheDocument();
    expect(screen.getByTestId('project-detail')).toHaveTextContent('has no tenant id');
  });
});

describe('ProjectDetail: environment variables tab', () => {
  it('opens the env editor for the project’s tenant id', async () => {
    const { fake, user } = await setup();
    const tenantId = project.tenantId!;
    fake.env.set(tenantId, draftOf({ tenantId, vars: { HASURA_GRAPHQL_ADMIN_SECRET: 'admin' }, secret: ['HASURA_GRAPHQL_ADMIN_SECRET'] }));
    await screen.findByTestId('detail-name');
    expect(screen.getByTestId('detail-tab-overview')).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByTestId('detail-env-badge')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('detail-tab-env'));
    expect(screen.getByTestId('detail-tab-env')).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByTestId('env-editor')).toBeInTheDocument();
    expect(await screen.findAllByTestId('env-row')).toHaveLength(1);
    expect(fake.api.envLoad).toHaveBeenCalledWith(project.tenantId);
    expect(screen.queryByTestId('detail-fields')).not.toBeInTheDocument();
    expect(screen.queryByTestId('rename-button')).not.toBeInTheDocument();

    // Arrow keys move between tabs.
    screen.getByTestId('detail-tab-env').focus();
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByTestId('detail-tab-overview')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('detail-tab-overview')).toHaveFocus();
  });

  it('shows a staged-changes badge for a draft left earlier, with its count once loaded', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [project] });
    // A draft left earlier, with two staged changes; Rust's discard answers it without them.
    const tenantId = project.tenantId!;
    fake.env.set(tenantId, draftOf({ tenantId, changes: [added('A', '1'), added('B', '2')] }));
    fake.env.respond('envDiscard', draftOf({ tenantId }));
    const { user } = await renderWith(ProjectDetail, fake, { props: { projectId: project.id }, prepare: signedIn });
    expect(await screen.findByTestId('detail-env-badge')).toHaveTextContent('staged changes');
    await user.click(screen.getByTestId('detail-tab-env'));
    await waitFor(() => expect(screen.getByTestId('detail-env-badge')).toHaveTextContent('2 staged'));
    await user.click(screen.getByTestId('env-discard-button'));
    await user.click(screen.getByTestId('env-discard-confirm'));
    await waitFor(() => expect(screen.queryByTestId('detail-env-badge')).not.toBeInTheDocument());
  });

  it('can open straight on the env tab (after copying keys from another project)', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [project] });
    await renderWith(ProjectDetail, fake, { props: { projectId: project.id, tab: 'env' }, prepare: signedIn });
    expect(await screen.findByTestId('env-editor')).toBeInTheDocument();
    expect(screen.getByTestId('detail-tab-env')).toHaveAttribute('aria-selected', 'true');
  });

  it('production guard: the toggle marks the project (badge, delete warning), and unmarks it', async () => {
    const { fake, ctx, user } = await setup();
    await screen.findByTestId('detail-name');
    expect(screen.queryByTestId('detail-production-badge')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('production-toggle'));
    expect(fake.api.setProduction).toHaveBeenCalledWith(project.id, true);
    expect(await screen.findByTestId('detail-production-badge')).toHaveTextContent('Production');
    expect(ctx.session.isProduction(project.id)).toBe(true);
    expect(screen.getByTestId('production-toggle')).toBeChecked();

    await user.click(screen.getByTestId('delete-button'));
    expect(screen.getByTestId('delete-production')).toHaveTextContent('billing-api is marked as production.');
    await user.keyboard('{Escape}');

    await user.click(screen.getByTestId('production-toggle'));
    await waitFor(() => expect(screen.queryByTestId('detail-production-badge')).not.toBeInTheDocument());
    expect(fake.api.setProduction).toHaveBeenLastCalledWith(project.id, false);
  });

  it('production guard: a failure to save the mark is shown and the box stays as it was', async () => {
    const { fake, user } = await setup();
    await screen.findByTestId('detail-name');
    fake.fail('setProduction', err('internal', 'Could not save the settings: disk full.'));
    await user.click(screen.getByTestId('production-toggle'));
    expect(await screen.findByTestId('production-error')).toHaveTextContent('disk full');
    expect(screen.queryByTestId('detail-production-badge')).not.toBeInTheDocument();
    expect(screen.getByTestId('production-toggle')).not.toBeChecked();
  });
});
