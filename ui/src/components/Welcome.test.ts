import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/svelte';
import Welcome from './Welcome.svelte';
import { cloudProfile, createFake, err } from '../test/fake-api';
import { renderWith, signedIn } from '../test/render';

describe('Welcome', () => {
  it('offers the sandbox and sign-in side by side', async () => {
    const fake = createFake();
    await renderWith(Welcome, fake, { prepare: signedIn });
    expect(screen.getByTestId('welcome-sandbox')).toHaveTextContent('Try the sandbox');
    expect(screen.getByTestId('welcome-sign-in')).toHaveTextContent('Sign in with a token');
    expect(screen.queryAllByTestId('welcome-profile')).toHaveLength(0);
  });

  it('"Try the sandbox" opens the sandbox and makes it the signed-in profile', async () => {
    const fake = createFake();
    const { ctx, user } = await renderWith(Welcome, fake, { prepare: signedIn });
    await user.click(screen.getByTestId('welcome-sandbox'));
    expect(fake.api.openSandbox).toHaveBeenCalledTimes(1);
    expect(ctx.session.signedIn).toBe(true);
    expect(ctx.session.isSandbox).toBe(true);
    expect(ctx.nav.route).toEqual({ name: 'projects' });
  });

  it('shows progress, then an error with a Retry that retries', async () => {
    const fake = createFake().fail('openSandbox', err('internal', 'The simulator could not start.'));
    const { ctx, user } = await renderWith(Welcome, fake, { prepare: signedIn });
    const release = fake.hold('openSandbox');
    await user.click(screen.getByTestId('welcome-sandbox'));
    expect(screen.getByTestId('welcome-sandbox')).toBeDisabled();
    expect(screen.getByTestId('welcome-sandbox')).toHaveTextContent('Opening the sandbox…');
    release();
    const error = await screen.findByTestId('welcome-sandbox-error');
    expect(error).toHaveTextContent('The simulator could not start.');
    await user.click(within(error).getByTestId('retry-button'));
    expect(fake.api.openSandbox).toHaveBeenCalledTimes(2);
    expect(ctx.session.isSandbox).toBe(true);
  });

  it('"Sign in with a token" goes to the sign-in form for a new profile', async () => {
    const fake = createFake();
    const { ctx, user } = await renderWith(Welcome, fake, { prepare: signedIn });
    await user.click(screen.getByTestId('welcome-sign-in'));
    expect(ctx.nav.route).toEqual({ name: 'signIn', profileId: null });
  });

  it('lists profiles on this device with a way back into each', async () => {
    const fake = createFake({
      profiles: [cloudProfile({ signedIn: false, tokenStorage: null }), cloudProfile({ id: 'p-2', name: 'Personal' })],
      activeProfileId: 'p-work',
    });
    const { ctx, user } = await renderWith(Welcome, fake, { prepare: signedIn });
    const items = screen.getAllByTestId('welcome-profile');
    expect(items).toHaveLength(2);
    await user.click(within(items[0]!).getByRole('button', { name: 'Sign in to Work' }));
    expect(ctx.nav.route).toEqual({ name: 'signIn', profileId: 'p-work' });
    await user.click(within(items[1]!).getByRole('button', { name: 'Open Personal' }));
    expect(fake.api.switchProfile).toHaveBeenCalledWith('p-2');
    expect(ctx.session.active?.name).toBe('Personal');
  });

  it("shows Rust's note beside an endpoint that is not Hasura Cloud's", async () => {
    const note = 'Not Hasura Cloud: the token goes to staging.example.com.';
    const fake = createFake({
      profiles: [cloudProfile({ signedIn: false, tokenStorage: null, endpoint: 'https://staging.example.com/v1/graphql', endpointNote: note })],
      activeProfileId: null,
    });
    await renderWith(Welcome, fake, { prepare: signedIn });
    expect(screen.getByTestId('welcome-endpoint-note')).toHaveTextContent(note);
  });

});
