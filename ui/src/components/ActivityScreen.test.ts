import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import ActivityScreen from './ActivityScreen.svelte';
import { cloudProfile, createFake, err, makeProject } from '../test/fake-api';
import { renderWith, signedIn } from '../test/render';
import type { ActivityEntry } from '../lib/types';

const shop = makeProject(3, { name: 'shop-staging' });

const ENTRIES: ActivityEntry[] = [
  {
    at: '2026-11-27T09:00:00Z',
    profileName: 'Work',
    sandbox: false,
    kind: 'projectCreated',
    projectName: 'reports',
    tenantId: 't-reports',
    summary: 'Created reports (aws us-east-2, cloud_free)',
    keys: [],
  },
  {
    at: '2026-11-28T10:00:00Z',
    profileName: 'Sandbox',
    sandbox: true,
    kind: 'envApplied',
    projectName: null,
    tenantId: shop.tenantId,
    summary: 'Applied 2 env changes: +NEW_FLAG, −OLD_URL',
    keys: [
      { key: 'NEW_FLAG', kind: 'added', before: null, after: '0123456789ab' },
      { key: 'OLD_URL', kind: 'removed', before: 'ba9876543210', after: null },
    ],
  },
];

async function setup(entries: ActivityEntry[] = ENTRIES) {
  const fake = createFake({ profiles: [cloudProfile()], projects: [shop] });
  fake.activity = structuredClone(entries);
  const r = await renderWith(ActivityScreen, fake, {
    prepare: async (ctx) => {
      await signedIn(ctx);
      await ctx.projects.load();
    },
  });
  return { fake, ...r };
}

describe('ActivityScreen', () => {
  it('lists the changes newest first, with the project named from the list, and keys with fingerprints', async () => {
    await setup();
    const items = await screen.findAllByTestId('activity-entry');
    expect(items.map((i) => i.dataset.kind)).toEqual(['envApplied', 'projectCreated']);
    expect(within(items[0]!).getByTestId('activity-project')).toHaveTextContent('shop-staging');
    expect(items[0]).toHaveTextContent('sandbox');
    expect(within(items[0]!).getByTestId('activity-summary')).toHaveTextContent('Applied 2 env changes: +NEW_FLAG, −OLD_URL');
    const keys = within(items[0]!).getByTestId('activity-keys');
    expect(keys).toHaveTextContent('2 keys with fingerprints');
    expect(keys).toHaveTextContent('0123456789ab');
    expect(within(items[1]!).queryByTestId('activity-keys')).not.toBeInTheDocument();
    expect(within(items[1]!).getByTestId('activity-project')).toHaveTextContent('reports');
  });

  it('search narrows by project, key or profile', async () => {
    const { user } = await setup();
    await screen.findAllByTestId('activity-entry');
    await user.type(screen.getByTestId('activity-search'), 'old_url');
    expect(screen.getAllByTestId('activity-entry')).toHaveLength(1);
    await user.clear(screen.getByTestId('activity-search'));
    await user.type(screen.getByTestId('activity-search'), 'reports work');
    expect(screen.getAllByTestId('activity-entry').map((i) => i.dataset.kind)).toEqual(['projectCreated']);
    await user.type(screen.getByTestId('activity-search'), ' nothing');
    expect(screen.getByTestId('activity-no-match')).toBeInTheDocument();
  });

  it('clearing asks first; Keep it keeps everything, Clear empties the log', async () => {
    const { fake, user } = await setup();
    await screen.findAllByTestId('activity-entry');
    await user.click(screen.getByTestId('activity-clear'));
    const dialog = screen.getByTestId('activity-clear-dialog');
    expect(dialog).toHaveTextContent('This removes the record of 2 changes from this computer. Nothing changes in Hasura Cloud.');
    await user.click(within(dialog).getByTestId('activity-clear-cancel'));
    expect(fake.api.activityClear).not.toHaveBeenCalled();
    expect(screen.getAllByTestId('activity-entry')).toHaveLength(2);

    await user.click(screen.getByTestId('activity-clear'));
    await user.click(screen.getByTestId('activity-clear-confirm'));
    await waitFor(() => expect(screen.getByTestId('activity-empty')).toBeInTheDocument());
    expect(fake.activity).toEqual([]);
    expect(screen.getByTestId('activity-clear')).toBeDisabled();
  });

  it('an unreadable log is an error with Retry', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    fake.fail('activityList', err('internal', 'Could not read this computer’s activity log: permission denied.'));
    const { user } = await renderWith(ActivityScreen, fake, { prepare: signedIn });
    const error = await screen.findByTestId('activity-error');
    expect(error).toHaveTextContent('permission denied');
    await user.click(within(error).getByTestId('retry-button'));
    expect(await screen.findByTestId('activity-empty')).toBeInTheDocument();
  });
  it('puts only the entries in view into the page: a long log stays cheap, and search still reaches all of it', async () => {
    // Oldest first, as the log is kept; the screen shows the newest first.
    const many: ActivityEntry[] = Array.from({ length: 500 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
      profileName: 'Work',
      sandbox: false,
      kind: 'envApplied',
      projectName: 'shop-staging',
      tenantId: shop.tenantId,
      summary: `Applied 1 env change: +KEY_${i}`,
      keys: [{ key: `KEY_${i}`, kind: 'added', before: null, after: '0123456789ab' }],
    }));
    const { user } = await setup(many);
    const shown = await screen.findAllByTestId('activity-entry');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(50);
    expect(shown[0]).toHaveTextContent('+KEY_499');
    expect(screen.getByText('Showing the newest 500 changes.')).toBeInTheDocument();
    // The list scrolls in its own box, which the keyboard can reach.
    expect(screen.getByRole('region', { name: 'Activity entries' })).toHaveAttribute('tabindex', '0');

    await user.type(screen.getByTestId('activity-search'), 'key_0');
    await waitFor(() => expect(screen.getAllByTestId('activity-entry')).toHaveLength(1));
    expect(screen.getByTestId('activity-entry')).toHaveTextContent('+KEY_0');
  });
  it('an opened keys table stays open while a search hides its entry and shows it again', async () => {
    const { user } = await setup();
    const [applied] = await screen.findAllByTestId('activity-entry');
    await user.click(within(applied!).getByText('2 keys with fingerprints'));
    expect(within(applied!).getByTestId('activity-keys')).toHaveAttribute('open');
    await user.type(screen.getByTestId('activity-search'), 'reports');
    await waitFor(() => expect(screen.queryByTestId('activity-keys')).not.toBeInTheDocument());
    await user.clear(screen.getByTestId('activity-search'));
    await waitFor(() => expect(screen.getByTestId('activity-keys')).toHaveAttribute('open'));
  });
});
