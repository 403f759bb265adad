import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../App.svelte';
import { createAppContext } from '../lib/context';
import { progressText } from '../lib/updates.svelte';
import { cloudProfile, createFake, err, type FakeBackend } from '../test/fake-api';

const NEWER = { version: '0.2.0', currentVersion: '0.1.0', notes: 'Preview apps.\nFaster lists.', date: '2026-12-01T10:00:00Z' };

function renderApp(fake: FakeBackend) {
  const ctx = createAppContext(fake.api);
  const user = userEvent.setup();
  render(App, { props: { api: fake.api, context: ctx } });
  return { ctx, user };
}

describe('Updates', () => {
  it('checks at start and offers a newer version, installing only when asked', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    fake.update = NEWER;
    const { user } = renderApp(fake);
    const banner = await screen.findByTestId('update-banner');
    expect(banner).toHaveTextContent('Hasura Cloud Desktop 0.2.0 is available (you have 0.1.0)');
    expect(fake.api.updateInstall).not.toHaveBeenCalled();
    await user.click(within(banner).getByTestId('update-install'));
    expect(fake.api.updateInstall).toHaveBeenCalledTimes(1);
    expect(fake.installedUpdate).toBe('0.2.0');
    expect(await screen.findByTestId('update-progress')).toHaveTextContent('Installing…');
  });

  it('does not check at start when the preference is off', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    fake.update = NEWER;
    fake.preferences = { checkUpdatesAtStart: false };
    renderApp(fake);
    await screen.findByTestId('shell');
    await waitFor(() => expect(fake.api.getPreferences).toHaveBeenCalled());
    expect(fake.api.updateCheck).not.toHaveBeenCalled();
    expect(screen.queryByTestId('update-banner')).not.toBeInTheDocument();
  });

  it('a failed check at start shows nothing', async () => {
    const quiet = createFake({ profiles: [cloudProfile()] }).fail('updateCheck', err('network', 'Could not check for updates.'));
    renderApp(quiet);
    await screen.findByTestId('shell');
    await waitFor(() => expect(quiet.api.updateCheck).toHaveBeenCalled());
    expect(screen.queryByTestId('update-banner')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('Later puts the banner away', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    fake.update = NEWER;
    const { user } = renderApp(fake);
    await user.click(await screen.findByTestId('update-later'));
    expect(screen.queryByTestId('update-banner')).not.toBeInTheDocument();
  });

  it('the menu opens the dialog: up to date, the start-up preference, and a failed check explained', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    fake.preferences = { checkUpdatesAtStart: false };
    const { user } = renderApp(fake);
    await screen.findByTestId('shell');
    fake.menu('checkUpdates');
    const dialog = await screen.findByTestId('updates-dialog');
    expect(await within(dialog).findByTestId('update-none')).toHaveTextContent('You have the newest version.');
    const atStart = within(dialog).getByTestId('update-at-start') as HTMLInputElement;
    await waitFor(() => expect(atStart.checked).toBe(false));
    await user.click(atStart);
    expect(fake.preferences.checkUpdatesAtStart).toBe(true);
    fake.fail('updateCheck', err('network', 'Could not check for updates: the release server could not be reached.'));
    await user.click(within(dialog).getByTestId('update-check'));
    expect(await within(dialog).findByTestId('update-check-error')).toHaveTextContent('release server could not be reached');
  });

  it('shows the release notes and a failed install keeps the offer', async () => {
    const fake = createFake({ profiles: [cloudProfile()] });
    fake.update = NEWER;
    fake.fail('updateInstall', err('server', 'The downloaded update is not signed with Hasura Cloud Desktop\'s release key, so it was not installed.'));
    const { user } = renderApp(fake);
    await user.click(await screen.findByTestId('update-details'));
    const dialog = await screen.findByTestId('updates-dialog');
    expect(within(dialog).getByTestId('update-notes')).toHaveTextContent('Faster lists.');
    await user.click(within(dialog).getByTestId('update-install'));
    expect(await within(dialog).findByTestId('update-error')).toHaveTextContent('not signed');
    expect(within(dialog).getByTestId('update-install')).toBeEnabled();
  });

  it('progress reads as a person would say it', () => {
    expect(progressText(null)).toBe('Starting the download…');
    expect(progressText({ phase: 'downloading', downloaded: 3_200_000, total: 10_000_000 })).toBe('Downloading 3.2 of 10.0 MB (32%)');
    expect(progressText({ phase: 'downloading', downloaded: 1_500_000, total: null })).toBe('Downloading 1.5 MB…');
    expect(progressText({ phase: 'restarting' })).toBe('Restarting…');
  });
});
