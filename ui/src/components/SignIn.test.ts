import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import SignIn from './SignIn.svelte';
import { cloudProfile, createFake, err } from '../test/fake-api';
import { renderWith, signedIn } from '../test/render';
import { DEFAULT_ENDPOINT } from '../lib/validation';

async function setup(opts: Parameters<typeof createFake>[0] = {}, props: { profileId?: string | null } = {}) {
  const fake = createFake(opts);
  const r = await renderWith(SignIn, fake, { prepare: signedIn, props: { profileId: null, ...props } });
  return { fake, ...r };
}

describe('SignIn', () => {
  it('has the fields, with safe token input and remember on by default', async () => {
    await setup();
    const token = screen.getByTestId('sign-in-token');
    expect(token).toHaveAttribute('type', 'password');
    expect(token).toHaveAttribute('autocomplete', 'off');
    expect(screen.getByLabelText('Personal Access Token')).toBe(token);
    expect(screen.getByLabelText('Profile name')).toBe(screen.getByTestId('sign-in-profile-name'));
    expect(screen.getByTestId('sign-in-endpoint')).toHaveValue(DEFAULT_ENDPOINT);
    expect(screen.getByTestId('sign-in-remember')).toBeChecked();
    expect(screen.getByLabelText('Remember on this device (OS keychain)')).toBeChecked();
  });

  it('validates as typed: profile name, endpoint, token', async () => {
    const { user, fake } = await setup();
    const name = screen.getByTestId('sign-in-profile-name');
    await user.type(name, 'W');
    await user.clear(name);
    expect(screen.getByTestId('sign-in-name-error')).toHaveTextContent('Give this profile a name');

    const endpoint = screen.getByTestId('sign-in-endpoint');
    await user.clear(endpoint);
    await user.type(endpoint, 'http://example.com/v1/graphql');
    expect(screen.getByTestId('sign-in-endpoint-error')).toHaveTextContent('only allowed for this computer');
    await user.clear(endpoint);
    await user.type(endpoint, 'http://127.0.0.1:4000/v1/graphql');
    expect(screen.queryByTestId('sign-in-endpoint-error')).not.toBeInTheDocument();

    await user.type(name, 'Work');
    await user.click(screen.getByTestId('sign-in-submit'));
    expect(screen.getByTestId('sign-in-token-error')).toHaveTextContent('Paste your token.');
    expect(screen.getByTestId('sign-in-token')).toHaveFocus();
    expect(fake.api.saveProfile).not.toHaveBeenCalled();
    expect(fake.api.signIn).not.toHaveBeenCalled();
  });

  it('creates the profile, signs in with the typed values, then clears the token', async () => {
    const { user, fake, ctx } = await setup();
    await user.type(screen.getByTestId('sign-in-profile-name'), 'Work');
    await user.click(screen.getByRole('radio', { name: 'Green' }));
    await user.click(screen.getByTestId('sign-in-token'));
    await user.paste('good-token');
    expect(screen.getByTestId('sign-in-token')).toHaveValue('good-token');
    await user.click(screen.getByTestId('sign-in-submit'));

    await waitFor(() => expect(ctx.session.signedIn).toBe(true));
    expect(fake.api.saveProfile).toHaveBeenCalledWith({
      id: null,
      name: 'Work',
      color: '#1c7c3c',
      endpoint: DEFAULT_ENDPOINT,
    });
    expect(fake.api.signIn).toHaveBeenCalledWith({ profileId: 'p-new-1', token: 'good-token', remember: true });
    expect(ctx.session.active?.name).toBe('Work');
    expect(ctx.nav.route).toEqual({ name: 'projects' });
    expect(screen.getByTestId('sign-in-token')).toHaveValue('');
    expect(document.body.innerHTML).not.toContain('good-token');
  });

  it('tokenRejected: message at the token field, typed values kept, retry does not duplicate the profile', async () => {
    const { user, fake, ctx } = await setup();
    await user.type(screen.getByTestId('sign-in-profile-name'), 'Work');
    await user.type(screen.getByTestId('sign-in-token'), 'bad-token');
    await user.click(screen.getByTestId('sign-in-submit'));

    const tokenError = await screen.findByTestId('sign-in-token-error');
    expect(tokenError).toHaveTextContent('Hasura Cloud rejected this token');
    expect(screen.getByTestId('sign-in-token')).toHaveFocus();
    expect(screen.getByTestId('sign-in-token')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('sign-in-token')).toHaveAttribute('aria-describedby', 'profile-token-error');
    expect(screen.getByTestId('sign-in-profile-name')).toHaveValue('Work');
    expect(screen.getByTestId('sign-in-token')).toHaveValue('bad-token');
    expect(ctx.session.signedIn).toBe(false);

    const token = screen.getByTestId('sign-in-token');
    await user.clear(token);
    expect(screen.getByTestId('sign-in-token-error')).not.toHaveTextContent('rejected');
    await user.type(token, 'good-token');
    await user.click(screen.getByTestId('sign-in-submit'));
    await waitFor(() => expect(ctx.session.signedIn).toBe(true));
    expect(fake.api.saveProfile).toHaveBeenCalledTimes(1);
    expect(fake.profiles).toHaveLength(1);
  });

  it('keychainUnavailable: explains and offers session-only sign-in with the same token', async () => {
    const { user, fake, ctx } = await setup();
    fake.keychainWorks = false;
    await user.type(screen.getByTestId('sign-in-profile-name'), 'Work');
    await user.type(screen.getByTestId('sign-in-token'), 'good-token');
    await user.click(screen.getByTestId('sign-in-submit'));

    const panel = await screen.findByTestId('sign-in-keychain-unavailable');
    expect(panel).toHaveTextContent('keychain could not store it');
    expect(panel).toHaveTextContent('The Secret Service is not running');
    expect(screen.getByTestId('sign-in-token')).toHaveValue('good-token');
    expect(ctx.session.signedIn).toBe(false);

    await user.click(within(panel).getByTestId('sign-in-session-only'));
    await waitFor(() => expect(ctx.session.signedIn).toBe(true));
    expect(fake.api.signIn).toHaveBeenLastCalledWith({ profileId: 'p-new-1', token: 'good-token', remember: false });
    expect(ctx.session.active?.tokenStorage).toBe('session');
    expect(screen.getByTestId('sign-in-token')).toHaveValue('');
  });

  it('server invalidInput on the endpoint lands at the endpoint field', async () => {
    const { user, fake } = await setup();
    fake.fail('saveProfile', err('invalidInput', 'This endpoint is not allowed.', { field: 'endpoint' }));
    await user.type(screen.getByTestId('sign-in-profile-name'), 'Work');
    await user.type(screen.getByTestId('sign-in-token'), 'good-token');
    await user.click(screen.getByTestId('sign-in-submit'));
    expect(await screen.findByTestId('sign-in-endpoint-error')).toHaveTextContent('This endpoint is not allowed.');
    expect(screen.getByTestId('sign-in-endpoint')).toHaveFocus();
    expect(screen.getByTestId('sign-in-profile-name')).toHaveValue('Work');
    expect(screen.getByTestId('sign-in-token')).toHaveValue('good-token');
  });

  it('network errors show at the top with a Retry that retries', async () => {
    const { user, fake, ctx } = await setup();
    fake.fail('signIn', err('network', 'Could not reach Hasura Cloud.'));
    await user.type(screen.getByTestId('sign-in-profile-name'), 'Work');
    await user.type(screen.getByTestId('sign-in-token'), 'good-token');
    await user.click(screen.getByTestId('sign-in-submit'));
    const error = await screen.findByTestId('sign-in-error');
    expect(error).toHaveTextContent('Could not reach Hasura Cloud.');
    expect(screen.getByTestId('sign-in-token')).toHaveValue('good-token');
    await user.click(within(error).getByTestId('retry-button'));
    await waitFor(() => expect(ctx.session.signedIn).toBe(true));
    expect(fake.api.signIn).toHaveBeenCalledTimes(2);
  });

  it('signs in to an existing profile without re-creating it', async () => {
    const { user, fake, ctx } = await setup(
      { profiles: [cloudProfile({ signedIn: false, tokenStorage: null })], activeProfileId: 'p-work' },
      { profileId: 'p-work' },
    );
    expect(screen.getByRole('heading', { name: 'Sign in to Work' })).toBeInTheDocument();
    expect(screen.getByTestId('sign-in-profile-name')).toHaveValue('Work');
    await user.type(screen.getByTestId('sign-in-token'), 'good-token');
    await user.click(screen.getByTestId('sign-in-submit'));
    await waitFor(() => expect(ctx.session.signedIn).toBe(true));
    expect(fake.api.saveProfile).not.toHaveBeenCalled();
    expect(fake.api.signIn).toHaveBeenCalledWith({ profileId: 'p-work', token: 'good-token', remember: true });
  });

  it('shows progress while the token is checked', async () => {
    const { user, fake } = await setup();
    const release = fake.hold('signIn');
    await user.type(screen.getByTestId('sign-in-profile-name'), 'Work');
    await user.type(screen.getByTestId('sign-in-token'), 'good-token');
    await user.click(screen.getByTestId('sign-in-submit'));
    await waitFor(() => expect(screen.getByTestId('sign-in-submit')).toHaveTextContent('Checking the token…'));
    expect(screen.getByTestId('sign-in-submit')).toBeDisabled();
    release();
    await waitFor(() => expect(screen.getByTestId('sign-in-token')).toHaveValue(''));
  });

  it('Cancel after a failed attempt refreshes the profiles (the new profile exists now)', async () => {
    const fake = createFake();
    let cancelled = false;
    const { user, ctx } = await renderWith(SignIn, fake, {
      prepare: signedIn,
      props: { profileId: null, oncancel: () => (cancelled = true) },
    });
    await user.type(screen.getByTestId('sign-in-profile-name'), 'Work');
    await user.type(screen.getByTestId('sign-in-token'), 'bad-token');
    await user.click(screen.getByTestId('sign-in-submit'));
    await screen.findByTestId('sign-in-token-error');
    await user.click(screen.getByTestId('sign-in-cancel'));
    expect(cancelled).toBe(true);
    await waitFor(() => expect(ctx.session.profiles.map((p) => p.name)).toEqual(['Work']));
  });
});
