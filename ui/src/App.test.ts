import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from './App.svelte';
import { createAppContext } from './lib/context';
import { cloudProfile, createFake, err, makeProject, sandboxProfile, type FakeBackend } from './test/fake-api';

function renderApp(fake: FakeBackend) {
  const ctx = createAppContext(fake.api);
  const user = userEvent.setup();
  render(App, { props: { api: fake.api, context: ctx } });
  return { ctx, user };
}

describe('App', () => {
  it('shows loading while the session loads, then the welcome screen without profiles', async () => {
    const fake = createFake();
    const release = fake.hold('getState');
    renderApp(fake);
    expect(screen.getByTestId('app-loading')).toBeInTheDocument();
    release();
    expect(await screen.findByTestId('welcome-screen')).toBeInTheDocument();
    expect(screen.queryByTestId('shell')).not.toBeInTheDocument();
  });

  it('shows a session error with a Retry that retries', async () => {
    const fake = createFake({ profiles: [cloudProfile()] }).fail('getState', err('internal', 'Settings file is damaged.'));
    const { user } = renderApp(fake);
    const error = await screen.findByTestId('app-error');
    expect(error).toHaveTextContent('Settings file is damaged.');
    await user.click(within(error).getByTestId('retry-button'));
    expect(await screen.findByTestId('shell')).toBeInTheDocument();
  });

  it('goes straight to the projects of a signed-in profile', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1), makeProject(2)] });
    renderApp(fake);
    expect(await screen.findByTestId('shell')).toBeInTheDocument();
    expect(await screen.findAllByTestId('project-row')).toHaveLength(2);
    expect(screen.queryByTestId('sandbox-banner')).not.toBeInTheDocument();
  });

  it('welcome → sandbox → projects with the sandbox banner', async () => {
    const fake = createFake({ projects: [makeProject(1)] });
    const { user } = renderApp(fake);
    await user.click(await screen.findByTestId('welcome-sandbox'));
    expect(await screen.findByTestId('sandbox-banner')).toBeInTheDocument();
    expect(await screen.findAllByTestId('project-row')).toHaveLength(1);
  });

  it('welcome → sign in → projects; the token is gone from the page', async () => {
    const fake = createFake({ projects: [makeProject(1)] });
    const { user } = renderApp(fake);
    await user.click(await screen.findByTestId('welcome-sign-in'));
    await user.type(screen.getByTestId('sign-in-profile-name'), 'Work');
    await user.type(screen.getByTestId('sign-in-token'), 'good-token');
    await user.click(screen.getByTestId('sign-in-submit'));
    expect(await screen.findByTestId('shell')).toBeInTheDocument();
    expect(screen.getByTestId('active-profile')).toHaveTextContent('Work');
    expect(screen.queryByTestId('sign-in-token')).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain('good-token');
  });

  it('navigates: list → detail → back, create, look up', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1)] });
    const { user } = renderApp(fake);
    await user.click((await screen.findAllByTestId('project-row'))[0]!);
    expect(await screen.findByTestId('project-detail')).toBeInTheDocument();
    await user.click(screen.getByTestId('back-to-projects'));
    expect(await screen.findByTestId('projects-screen')).toBeInTheDocument();
    expect(fake.api.listProjects).toHaveBeenCalledTimes(1); // the list is kept
    await user.click(screen.getByTestId('nav-create'));
    expect(screen.getByTestId('create-project-screen')).toBeInTheDocument();
    expect(screen.getByTestId('nav-create')).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByTestId('nav-lookup'));
    expect(screen.getByTestId('lookup-screen')).toBeInTheDocument();
  });

  it('handles native menu actions', async () => {
    const fake = createFake({ profiles: [cloudProfile(), sandboxProfile({ signedIn: false })], projects: [makeProject(1)] });
    const { ctx } = renderApp(fake);
    await screen.findAllByTestId('project-row');
    expect(fake.api.onMenuAction).toHaveBeenCalledTimes(1);

    fake.menu('newProject');
    expect(await screen.findByTestId('create-project-screen')).toBeInTheDocument();

    fake.menu('lookUp');
    expect(await screen.findByTestId('lookup-screen')).toBeInTheDocument();

    fake.menu('search');
    await waitFor(() => expect(screen.getByTestId('project-search')).toHaveFocus());

    fake.menu('refresh');
    await waitFor(() => expect(fake.api.listProjects).toHaveBeenCalledTimes(2));

    fake.menu('profiles');
    expect(await screen.findByTestId('profile-switcher')).toBeInTheDocument();
    ctx.nav.switcherOpen = false;

    fake.menu('openSandbox');
    expect(await screen.findByTestId('sandbox-banner')).toBeInTheDocument();

    fake.menu('signOut');
    expect(await screen.findByTestId('welcome-screen')).toBeInTheDocument();
    expect(fake.api.signOut).toHaveBeenCalledWith('p-sandbox');
  });

  it('announces status messages in a polite live region', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1)] });
    const { ctx } = renderApp(fake);
    await screen.findByTestId('shell');
    const region = screen.getByTestId('status-message');
    expect(region).toHaveAttribute('aria-live', 'polite');
    ctx.status.announce('Copied project id');
    await waitFor(() => expect(region).toHaveTextContent('Copied project id'));
  });
});
