import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/svelte';
import FleetFindDialog from './FleetFindDialog.svelte';
import { cloudProfile, createFake, makeProject } from '../test/fake-api';
import { renderWith, signedIn } from '../test/render';

describe('FleetFindDialog', () => {
  it('lists where the value is used, then Rotate… opens the fleet change with those projects', async () => {
    const projects = [makeProject(0), makeProject(1)];
    const fake = createFake({ profiles: [cloudProfile()], projects });
    fake.fleet.usage = {
      valueFingerprint: 'ab12cd34ef56',
      rows: projects.map((p, i) => ({
        tenantId: p.tenantId!,
        projectId: p.id,
        name: p.name,
        production: false,
        keys: [i === 0 ? 'STRIPE_KEY' : 'PAYMENTS_SECRET'],
      })),
      read: 2,
      total: 2,
      unreadable: [],
      cancelled: false,
    };
    const { user } = await renderWith(FleetFindDialog, fake, {
      props: { tenantId: projects[0]!.tenantId!, key: 'STRIPE_KEY', onclose: () => {} },
      prepare: async (ctx) => {
        await signedIn(ctx);
        await ctx.projects.load();
      },
    });
    expect(await screen.findByTestId('find-summary')).toHaveTextContent('Used in 2 of 2 projects');
    expect(screen.getByTestId('find-rows')).toHaveTextContent('project-0001: PAYMENTS_SECRET');
    expect(fake.api.fleetFindUsage).toHaveBeenCalledWith(projects[0]!.tenantId, 'STRIPE_KEY', expect.any(Function));
    await user.type(screen.getByTestId('rotate-value'), 'sk_new');
    await user.click(screen.getByTestId('rotate'));
    expect(await screen.findByTestId('fleet-count')).toHaveTextContent('2 projects');
    expect(screen.getByTestId('fleet-changes')).toHaveTextContent('Rotate a value');
    await user.click(screen.getByTestId('fleet-preview'));
    expect(await screen.findByTestId('fleet-preview-table')).toBeInTheDocument();
    expect(fake.fleet.lastChanges).toEqual([{ op: 'rotate', valueFingerprint: 'ab12cd34ef56', newValue: 'sk_new' }]);
  });

  it('shows how many projects are read as Rust reads them, and Cancel stops the search', async () => {
    const projects = Array.from({ length: 12 }, (_, i) => makeProject(i));
    const fake = createFake({ profiles: [cloudProfile()], projects });
    fake.fleet.usage = {
      valueFingerprint: 'ab12cd34ef56',
      rows: [{ tenantId: projects[0]!.tenantId!, projectId: projects[0]!.id, name: projects[0]!.name, production: false, keys: ['STRIPE_KEY'] }],
      read: 12,
      total: 12,
      unreadable: [],
      cancelled: false,
    };
    const { user } = await renderWith(FleetFindDialog, fake, {
      props: { tenantId: projects[0]!.tenantId!, key: 'STRIPE_KEY', onclose: () => {} },
      prepare: signedIn,
    });
    const progress = await screen.findByTestId('find-progress');
    await waitFor(() => expect(progress).toHaveTextContent(/Reading [1-9]\d* of 12 projects/));
    await user.click(screen.getByTestId('find-cancel'));
    expect(await screen.findByTestId('find-summary')).toHaveTextContent(/Used in 1 of 12 projects \(cancelled after \d+\)/);
    expect(screen.queryByTestId('find-progress')).not.toBeInTheDocument();
    expect(fake.api.fleetUsageCancel).toHaveBeenCalledTimes(1);
  });

  it('says when the variable is not there', async () => {
    const projects = [makeProject(0)];
    const fake = createFake({ profiles: [cloudProfile()], projects });
    await renderWith(FleetFindDialog, fake, {
      props: { tenantId: projects[0]!.tenantId!, key: 'NOPE', onclose: () => {} },
      prepare: signedIn,
    });
    expect(await screen.findByTestId('fleet-find-error')).toHaveTextContent('not set');
  });
});
