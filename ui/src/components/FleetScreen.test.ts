import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import FleetScreen from './FleetScreen.svelte';
import { cloudProfile, createFake, makeProject } from '../test/fake-api';
import { renderWith, signedIn } from '../test/render';

function fakeWith(n: number, production: number[] = []) {
  const projects = Array.from({ length: n }, (_, i) => makeProject(i));
  const fake = createFake({
    profiles: [cloudProfile({ productionProjects: production.map((i) => projects[i]!.id) })],
    projects,
  });
  fake.fleet.production = production.map((i) => projects[i]!.tenantId!);
  return { fake, projects };
}

async function load(ctx: Parameters<typeof signedIn>[0]) {
  await signedIn(ctx);
  await ctx.projects.load();
}

describe('FleetScreen', () => {
  it('selects with checkboxes, Shift+click ranges and all matching, and names the production ones', async () => {
    const { fake } = fakeWith(6, [2]);
    const { user } = await renderWith(FleetScreen, fake, { prepare: load });
    const boxes = await screen.findAllByTestId('fleet-pick');
    await user.click(boxes[1]!);
    await user.keyboard('{Shift>}');
    await user.click(boxes[3]!);
    await user.keyboard('{/Shift}');
    expect(screen.getByTestId('fleet-count')).toHaveTextContent('3 projects, 1 marked production: project-0002');
    await user.click(screen.getByTestId('fleet-select-all'));
    expect(screen.getByTestId('fleet-count')).toHaveTextContent('6 projects');
  });

  it('selects by a rule Rust applies', async () => {
    const { fake, projects } = fakeWith(4);
    fake.fleet.ruleAnswer = [projects[0]!.tenantId!, projects[3]!.tenantId!];
    const { user } = await renderWith(FleetScreen, fake, { prepare: load });
    await user.click(await screen.findByText('Choose by rule'));
    await user.type(screen.getByTestId('rule-name'), 'project-*');
    await user.click(screen.getByTestId('rule-apply'));
    await waitFor(() => expect(screen.getByTestId('fleet-count')).toHaveTextContent('2 projects'));
    expect(fake.fleet.lastRule).toMatchObject({ namePattern: 'project-*', production: null });
  });

  it('previews, asks production names typed, runs with progress and reports; undo stages the way back', async () => {
    const { fake } = fakeWith(3, [1]);
    fake.fleet.outcomes = { 'project-0002': 'conflict' };
    const { user } = await renderWith(FleetScreen, fake, { prepare: load });
    await user.click(await screen.findByTestId('fleet-select-all'));
    await user.type(screen.getByTestId('fleet-key'), 'A');
    await user.type(screen.getByTestId('fleet-value'), 'secret-value');
    expect(screen.getByTestId('fleet-value')).toHaveAttribute('type', 'password');
    await user.click(screen.getByTestId('fleet-add-change'));
    expect(screen.getByTestId('fleet-changes')).not.toHaveTextContent('secret-value');
    await user.click(screen.getByTestId('fleet-preview'));

    const table = await screen.findByTestId('fleet-preview-table');
    expect(within(table).getAllByText('Will change')).toHaveLength(3);
    expect(fake.fleet.lastChanges).toEqual([{ op: 'set', key: 'A', value: 'secret-value' }]);
    const apply = screen.getByTestId('fleet-apply');
    expect(apply).toBeDisabled();
    await user.type(screen.getByTestId('fleet-confirm-name'), 'project-0001');
    expect(apply).toBeEnabled();
    await user.click(apply);

    await waitFor(() => expect(screen.getByTestId('fleet-summary')).toBeInTheDocument(), { timeout: 4000 });
    expect(screen.getByTestId('fleet-summary')).toHaveTextContent(
      '2 applied, 0 nothing to change, 1 conflict, 0 failed, 0 not reached',
    );
    const rows = within(screen.getByTestId('fleet-report')).getAllByRole('row');
    expect(rows[2]).toHaveTextContent('Conflict');

    await user.click(screen.getByTestId('fleet-undo'));
    expect(await screen.findByText(/Undo of/)).toBeInTheDocument();
    expect(within(screen.getByTestId('fleet-preview-table')).getAllByRole('row')).toHaveLength(3);
  });

  it('Cancel stops after the current project and the report says which were not reached', async () => {
    const { fake } = fakeWith(4);
    const { user } = await renderWith(FleetScreen, fake, { prepare: load });
    await user.click(await screen.findByTestId('fleet-select-all'));
    await user.type(screen.getByTestId('fleet-key'), 'A');
    await user.click(screen.getByTestId('fleet-add-change'));
    await user.click(screen.getByTestId('fleet-preview'));
    await user.click(await screen.findByTestId('fleet-apply'));
    await user.click(await screen.findByTestId('fleet-cancel'));
    await waitFor(() => expect(screen.getByTestId('fleet-summary')).toBeInTheDocument(), { timeout: 4000 });
    expect(screen.getByTestId('fleet-summary')).toHaveTextContent(/not reached/);
    expect(fake.api.fleetControl).toHaveBeenCalledWith(expect.any(String), 'cancel');
    const notReached = within(screen.getByTestId('fleet-report')).queryAllByText('Not reached').length;
    expect(notReached).toBeGreaterThan(0);
  });
});

describe('FleetScreen: where is this value used?', () => {
  it('lists projects and keys, never values, and Rotate… makes them the fleet', async () => {
    const { fake, projects } = fakeWith(3);
    fake.fleet.usage = {
      valueFingerprint: 'ab12cd34ef56',
      rows: [
        { tenantId: projects[0]!.tenantId!, projectId: projects[0]!.id, name: 'project-0000', production: false, keys: ['STRIPE_KEY'] },
        { tenantId: projects[2]!.tenantId!, projectId: projects[2]!.id, name: 'project-0002', production: false, keys: ['PAYMENTS_SECRET'] },
      ],
      read: 3,
      total: 3,
      unreadable: [],
      cancelled: false,
    };
    const { user } = await renderWith(FleetScreen, fake, { prepare: load });
    await screen.findAllByTestId('fleet-pick');
    await user.selectOptions(screen.getByTestId('find-project'), projects[0]!.tenantId!);
    await user.type(screen.getByTestId('find-key'), 'STRIPE_KEY');
    await user.click(screen.getByTestId('find-run'));
    expect(await screen.findByTestId('find-summary')).toHaveTextContent('Used in 2 of 3 projects');
    expect(screen.getByTestId('find-rows')).toHaveTextContent('project-0002: PAYMENTS_SECRET');
    expect(fake.api.fleetFindUsage).toHaveBeenCalledWith(projects[0]!.tenantId, 'STRIPE_KEY', expect.any(Function));
    await user.type(screen.getByTestId('rotate-value'), 'sk_new');
    await user.click(screen.getByTestId('rotate'));
    expect(screen.getByTestId('fleet-count')).toHaveTextContent('2 projects');
    expect(screen.getByTestId('fleet-changes')).toHaveTextContent('Rotate a value');
    expect(screen.getByTestId('fleet-changes')).not.toHaveTextContent('sk_new');
  });
});
