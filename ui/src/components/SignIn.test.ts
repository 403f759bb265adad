import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import SignIn from './SignIn.svelte';
import { cloudProfile, createFake, err } from '../test/fake-api';
import { renderWith, signedIn } from '../test/render';

const DEFAULT_ENDPOINT = 'https://data.pro.hasura.io/v1/graphql';

/** A sign-in call as the form makes it: the profile's fields and the token, in one request. */
function signInWith(profile: { id: string | null; name: string; color?: string; endpoint?: string }, token: string, remember = true) {
  return {
    profile: { color: expect.any(String), endpoint: DEFAULT_ENDPOINT, ...profile },
    token,
    remember,
  };
}

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
    // The default endpoint is the one Rust gives (formRules).
    await waitFor(() => expect(screen.getByTestId('sign-in-endpoint')).toHaveValue(DEFAULT_ENDPOINT));
    expect(screen.getByTestId('sign-in-remember')).toBeChecked();
    expect(screen.getByLabelText('Remember on this device (OS keychain)')).toBeChecked();
  });

  it('shows what Rust says of the name and endpoint as they are typed, and sends nothing while one is wrong', async () => {
    const fake = createFake();
    fake.fieldProblems.profileName = (text) => (text.trim() === '' ? 'Give this profile a name.' : null);
    fake.fieldProblems.endpoint = (text) => (text.startsWith('http://example') ? 'Plain http is only allowed for this computer.' : null);
    const { user } = await renderWith(SignIn, fake, { prepare: signedIn, props: { profileId: null } });
    const name = screen.getByTestId('sign-in-profile-name');
    await user.type(name, 'W');
    await user.clear(name);
    expect(await screen.findByTestId('sign-in-name-error')).toHaveTextContent('Give this profile a name');
    expect(fake.api.checkField).toHaveBeenCalledWith({ rule: 'profileName', text: '' });

    const endpoint = screen.getByTestId('sign-in-endpoint');
    await user.clear(endpoint);
    await user.type(endpoint, 'http://example.com/v1/graphql');
    expect(await screen.findByTestId('sign-in-endpoint-error')).toHaveTextContent('only allowed for this computer');
    await user.click(screen.getByTestId('sign-in-submit'));
    expect(screen.getByTestId('sign-in-profile-name')).toHaveFocus();
    expect(fake.api.signIn).not.toHaveBeenCalled();

    await user.clear(endpoint);
    await user.type(endpoint, 'http://127.0.0.1:4000/v1/graphql');
    await waitFor(() => expect(screen.queryByTestId('sign-in-endpoint-error')).not.toBeInTheDocument());
  });

  it("a missing token: Rust's answer lands at the token field, which gets the focus", async () => {
    const { user, fake } = await setup();
    fake.fail('signIn', err('invalidInput', 'Paste a personal access token.', { field: 'token' }));
    await user.type(screen.getByTestId('sign-in-profile-name'), 'Work');
    await user.click(screen.getByTestId('sign-in-submit'));
    expect(await screen.findByTestId('sign-in-token-error')).toHaveTextContent('Paste a personal access token.');
    expect(screen.getByTestId('sign-in-token')).toHaveFocus();
    expect(fake.profiles).toHaveLength(0);
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
    // One call saves the profile and signs in.
    expect(fake.api.signIn).toHaveBeenCalledTimes(1);
    expect(fake.api.signIn).toHaveBeenCalledWith(signInWith({ id: null, name: 'Work', color: '#1c7c3c' }, 'good-token'));
    expect(ctx.session.active?.name).toBe('Work');
    expect(ctx.nav.route).toEqual({ name: 'projects' });
    expect(screen.getByTestId('sign-in-token')).toHaveValue('');
    expect(document.body.innerHTML).not.toContain('good-token');
  });

  it('tokenRejected: message at the token field, typed values kept, nothing saved, retry makes one profile', async () => {
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
    expect(fake.profiles).toHaveLength(0);

    const token = screen.getByTestId('sign-in-token');
    await user.clear(token);
    expect(screen.queryByTestId('sign-in-token-error')).not.toBeInTheDocument();
    await user.type(token, 'good-token');
    await user.click(screen.getByTestId('sign-in-submit'));
    await waitFor(() => expect(ctx.session.signedIn).toBe(true));
    expect(fake.api.signIn).toHaveBeenCalledTimes(2);
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
    expect(fake.api.signIn).toHaveBeenLastCalledWith(signInWith({ id: null, name: 'Work' }, 'good-token', false));
    expect(fake.profiles).toHaveLength(1);
    expect(ctx.session.active?.tokenStorage).toBe('session');
    expect(screen.getByTestId('sign-in-token')).toHaveValue('');
  });

  it('server invalidInput on the endpoint lands at the endpoint field', async () => {
    const { user, fake } = await setup();
    fake.fail('signIn', err('invalidInput', 'This endpoint is not allowed.', { field: 'endpoint' }));
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
    expect(fake.api.signIn).toHaveBeenCalledWith(signInWith({ id: 'p-work', name: 'Work', color: '#3157d5' }, 'good-token'));
    expect(fake.profiles).toHaveLength(1);
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

  it('Cancel after a failed attempt leaves no profile behind', async () => {
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
    expect(fake.profiles).toHaveLength(0);
    expect(ctx.session.profiles).toHaveLength(0);
  });
});
