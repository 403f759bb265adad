import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import Shell from './Shell.svelte';
import { cloudProfile, createFake, err, sandboxProfile } from '../test/fake-api';
import { renderWith, signedIn } from '../test/render';

const children = createRawSnippet(() => ({ render: () => '<p data-testid="screen-content">content</p>' }));

async function setup(opts: Parameters<typeof createFake>[0]) {
  const fake = createFake(opts);
  const r = await renderWith(Shell, fake, { prepare: signedIn, props: { children } });
  return { fake, ...r };
}

describe('Shell', () => {
  it('shows the active profile with its colour, and the screen', async () => {
    await setup({ profiles: [cloudProfile()] });
    expect(screen.getByTestId('active-profile')).toHaveTextContent('Work');
    const dot = screen.getByTestId('profile-switcher-button').querySelector('.dot') as HTMLElement;
    expect(dot.style.background).toBe('rgb(49, 87, 213)');
    expect(screen.getByTestId('screen-content')).toBeInTheDocument();
  });

  it('shows the sandbox banner for sandbox profiles only', async () => {
    await setup({ profiles: [sandboxProfile()] });
    expect(screen.getByTestId('sandbox-banner')).toHaveTextContent(
      'Sandbox — not connected to Hasura Cloud. Changes here are simulated.',
    );
  });

  it('has no sandbox banner for a cloud profile, and it appears on switching to the sandbox', async () => {
    const { ctx, user } = await setup({ profiles: [cloudProfile(), sandboxProfile()], activeProfileId: 'p-work' });
    expect(screen.queryByTestId('sandbox-banner')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('profile-switcher-button'));
    const dialog = await screen.findByTestId('profile-switcher');
    await user.click(within(dialog).getAllByTestId('profile-option')[1]!);
    await waitFor(() => expect(ctx.session.active?.kind).toBe('sandbox'));
    expect(screen.getByTestId('sandbox-banner')).toBeInTheDocument();
    expect(screen.queryByTestId('profile-switcher')).not.toBeInTheDocument();
  });

  it('the switcher is a dialog: focus moves in, the page behind is inert, Escape closes it and returns focus', async () => {
    const { user } = await setup({ profiles: [cloudProfile(), cloudProfile({ id: 'p-2', name: 'Personal' })] });
    const opener = screen.getByTestId('profile-switcher-button');
    await user.click(opener);
    const dialog = await screen.findByRole('dialog', { name: 'Profiles' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(screen.getByTestId('screen-content').closest('[inert]')).not.toBeNull();
    expect(dialog.closest('[inert]')).toBeNull();
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    // Tab stays inside
    for (let i = 0; i < 8; i++) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(document.querySelector('[inert]')).toBeNull();
    expect(opener).toHaveFocus();
  });

  it('switches profile', async () => {
    const { fake, ctx, user } = await setup({ profiles: [cloudProfile(), cloudProfile({ id: 'p-2', name: 'Personal' })] });
    await user.click(screen.getByTestId('profile-switcher-button'));
    const options = screen.getAllByTestId('profile-option');
    expect(options[0]).toHaveAttribute('aria-current', 'true');
    await user.click(options[1]!);
    expect(fake.api.switchProfile).toHaveBeenCalledWith('p-2');
    await waitFor(() => expect(screen.getByTestId('active-profile')).toHaveTextContent('Personal'));
    expect(ctx.nav.route).toEqual({ name: 'projects' });
  });

  it('a signed-out profile in the switcher leads to its sign-in form', async () => {
    const { ctx, user } = await setup({
      profiles: [cloudProfile(), cloudProfile({ id: 'p-2', name: 'Personal', signedIn: false })],
    });
    await user.click(screen.getByTestId('profile-switcher-button'));
    await user.click(screen.getAllByTestId('profile-option')[1]!);
    expect(ctx.nav.route).toEqual({ name: 'signIn', profileId: 'p-2' });
  });

  it('"Add profile" opens the sign-in form for a new profile', async () => {
    const { ctx, user } = await setup({ profiles: [cloudProfile()] });
    await user.click(screen.getByTestId('profile-switcher-button'));
    await user.click(screen.getByTestId('add-profile'));
    expect(ctx.nav.route).toEqual({ name: 'signIn', profileId: null });
    expect(screen.queryByTestId('profile-switcher')).not.toBeInTheDocument();
  });

  it('signs out', async () => {
    const { fake, ctx, user } = await setup({ profiles: [cloudProfile()] });
    await user.click(screen.getByTestId('profile-switcher-button'));
    await user.click(screen.getByTestId('sign-out'));
    expect(fake.api.signOut).toHaveBeenCalledWith('p-work');
    expect(ctx.session.signedIn).toBe(false);
    expect(ctx.nav.route).toEqual({ name: 'welcome' });
  });

  it('deletes a profile only after confirmation', async () => {
    const { fake, ctx, user } = await setup({ profiles: [cloudProfile(), cloudProfile({ id: 'p-2', name: 'Personal' })] });
    await user.click(screen.getByTestId('profile-switcher-button'));
    await user.click(screen.getByTestId('delete-profile'));
    const confirm = screen.getByTestId('delete-profile-dialog');
    expect(confirm).toHaveTextContent('deletes its token from the keychain');
    await waitFor(() => expect(screen.getByTestId('delete-profile-cancel')).toHaveFocus());
    await user.click(screen.getByTestId('delete-profile-cancel'));
    expect(fake.api.deleteProfile).not.toHaveBeenCalled();
    expect(screen.getByTestId('profile-switcher')).toBeInTheDocument();

    await user.click(screen.getByTestId('delete-profile'));
    await user.click(screen.getByTestId('delete-profile-confirm'));
    expect(fake.api.deleteProfile).toHaveBeenCalledWith('p-work');
    await waitFor(() => expect(ctx.session.profiles.map((p) => p.id)).toEqual(['p-2']));
  });

  it('shows switcher errors with their message', async () => {
    const { fake, user } = await setup({ profiles: [cloudProfile(), cloudProfile({ id: 'p-2', name: 'Personal' })] });
    fake.fail('switchProfile', err('internal', 'Settings could not be saved.'));
    await user.click(screen.getByTestId('profile-switcher-button'));
    await user.click(screen.getAllByTestId('profile-option')[1]!);
    expect(await screen.findByTestId('profile-error')).toHaveTextContent('Settings could not be saved.');
    expect(screen.getByTestId('active-profile')).toHaveTextContent('Work');
  });
});
