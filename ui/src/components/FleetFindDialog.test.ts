import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/svelte';
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
    expect(fake.api.fleetFindUsage).toHaveBeenCalledWith(projects[0]!.tenantId, 'STRIPE_KEY');
    await user.type(screen.getByTestId('rotate-value'), 'sk_new');
    await user.click(screen.getByTestId('rotate'));
    expect(await screen.findByTestId('fleet-count')).toHaveTextContent('2 projects');
    expect(screen.getByTestId('fleet-changes')).toHaveTextContent('Rotate a value');
    await user.click(screen.getByTestId('fleet-preview'));
    expect(await screen.findByTestId('fleet-preview-table')).toBeInTheDocument();
    expect(fake.fleet.lastChanges).toEqual([{ op: 'rotate', valueFingerprint: 'ab12cd34ef56', newValue: 'sk_new' }]);
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
