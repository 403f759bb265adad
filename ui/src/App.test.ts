import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from './App.svelte';
import { createAppContext } from './lib/context';
import { cloudProfile, createFake, err, makeProject, sandboxProfile, type FakeBackend } from './test/fake-api';
import { added, changed, draftOf } from './test/env-draft';

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
    // Nothing is drawn for a quick start; "Starting…" appears once the start is slow.
    expect(screen.queryByTestId('app-loading')).not.toBeInTheDocument();
    expect(await screen.findByTestId('app-loading')).toBeInTheDocument();
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

  it('draws the shell once with the first list when the list answers soon after the session', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1), makeProject(2)] });
    const release = fake.hold('listProjects');
    renderApp(fake);
    await waitFor(() => expect(fake.api.getState).toHaveBeenCalled());
    await new Promise((wait) => setTimeout(wait, 50));
    expect(screen.queryByTestId('shell')).not.toBeInTheDocument();
    release();
    expect(await screen.findAllByTestId('project-row')).toHaveLength(2);
    expect(screen.queryByTestId('projects-loading')).not.toBeInTheDocument();
  });

  it('shows the shell with the list still loading when the first list is slow', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1)] });
    const release = fake.hold('listProjects');
    renderApp(fake);
    expect(await screen.findByTestId('projects-loading')).toBeInTheDocument();
    release();
    expect(await screen.findAllByTestId('project-row')).toHaveLength(1);
  });

  it('goes straight to the projects of a signed-in profile', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1), makeProject(2)] });
    renderApp(fake);
    expect(await screen.findByTestId('shell')).toBeInTheDocument();
    expect(await screen.findAllByTestId('project-row')).toHaveLength(2);
    expect(screen.queryByTestId('sandbox-banner')).not.toBeInTheDocument();
  });

  it('asks for the first project list beside the session, not after it, and keeps that list', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1), makeProject(2)] });
    const release = fake.hold('getState');
    renderApp(fake);
    await waitFor(() => expect(fake.api.listProjects).toHaveBeenCalledTimes(1));
    release();
    expect(await screen.findAllByTestId('project-row')).toHaveLength(2);
    expect(fake.api.listProjects).toHaveBeenCalledTimes(1);
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
    await user.type(await screen.findByTestId('sign-in-profile-name'), 'Work');
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
    expect(await screen.findByTestId('create-project-screen')).toBeInTheDocument();
    expect(screen.getByTestId('nav-create')).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByTestId('nav-lookup'));
    expect(await screen.findByTestId('lookup-screen')).toBeInTheDocument();
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

  it('Go to (Ctrl+K or the menu): type, choose with the arrows, Enter opens the project', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1), makeProject(2), makeProject(3)] });
    const { ctx, user } = renderApp(fake);
    await screen.findAllByTestId('project-row');

    await user.keyboard('{Control>}k{/Control}');
    const palette = await screen.findByTestId('palette');
    const input = within(palette).getByRole('combobox', { name: 'Project or command' });
    await waitFor(() => expect(input).toHaveFocus());
    expect(screen.getByTestId('shell').closest('[inert]')).not.toBeNull();

    await user.type(input, 'project-000');
    const options = within(palette).getAllByRole('option');
    expect(options.map((o) => o.querySelector('.label')!.textContent)).toEqual([
      'project-0001',
      'project-0002',
      'project-0003',
      'project-0001 — environment variables',
      'project-0002 — environment variables',
      'project-0003 — environment variables',
    ]);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(input).toHaveAttribute('aria-activedescendant', options[3]!.id);
    await user.keyboard('{Enter}');
    expect(screen.queryByTestId('palette')).not.toBeInTheDocument();
    expect(ctx.nav.route).toEqual({ name: 'project', projectId: makeProject(1).id, tab: 'env' });

    fake.menu('goTo');
    const again = await screen.findByTestId('palette');
    await user.type(within(again).getByTestId('palette-input'), 'no such thing');
    expect(within(again).getByTestId('palette-empty')).toHaveTextContent('Nothing matches “no such thing”.');
    await user.clear(within(again).getByTestId('palette-input'));
    await user.type(within(again).getByTestId('palette-input'), 'new preview');
    await user.click(within(again).getByRole('option', { name: /New preview app/ }));
    expect(ctx.nav.route).toEqual({ name: 'previews', view: 'new' });
  });

  it('Go to: on a project page, "collaborators" opens its Collaborators tab from the keyboard', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1)] });
    const { ctx, user } = renderApp(fake);
    await screen.findAllByTestId('project-row');
    ctx.nav.go({ name: 'project', projectId: makeProject(1).id });
    await screen.findByTestId('detail-fields');
    await user.keyboard('{Control>}k{/Control}');
    const palette = await screen.findByTestId('palette');
    await user.type(within(palette).getByTestId('palette-input'), 'collaborators');
    await user.keyboard('{Enter}');
    expect(ctx.nav.route).toEqual({ name: 'project', projectId: makeProject(1).id, tab: 'collaborators' });
    expect(await screen.findByTestId('team-owner')).toHaveTextContent('owner@example.com');
    expect(screen.getByTestId('detail-tab-collaborators')).toHaveAttribute('aria-selected', 'true');
  });

  it('Go to: Escape closes it and nothing changes', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1)] });
    const { ctx, user } = renderApp(fake);
    await screen.findAllByTestId('project-row');
    fake.menu('goTo');
    await screen.findByTestId('palette');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('palette')).not.toBeInTheDocument();
    expect(document.querySelector('[inert]')).toBeNull();
    expect(ctx.nav.route).toEqual({ name: 'projects' });
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

describe('App: closing the window', () => {
  it('registers one close handler; closes at once without staged env changes', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1)] });
    renderApp(fake);
    await screen.findByTestId('shell');
    await waitFor(() => expect(fake.api.onCloseRequested).toHaveBeenCalledTimes(1));
    expect(await fake.requestClose()).toBe(true);
    expect(screen.queryByTestId('close-prompt')).not.toBeInTheDocument();
  });

  it("asks “Discard N projects' staged env changes and quit?” and closes only on confirm", async () => {
    const p1 = makeProject(1, { name: 'billing-api' });
    const p2 = makeProject(2, { name: 'checkout' });
    const fake = createFake({ profiles: [cloudProfile()], projects: [p1, p2, makeProject(3)] });
    fake.env.set(p1.tenantId!, draftOf({ tenantId: p1.tenantId!, changes: [added('A', '1')] }));
    fake.env.set(p2.tenantId!, draftOf({ tenantId: p2.tenantId!, changes: [added('B', '2')] }));
    const { user } = renderApp(fake);
    await screen.findAllByTestId('project-row');

    let closing = fake.requestClose();
    const prompt = await screen.findByTestId('close-prompt');
    expect(prompt).toHaveAttribute('role', 'alertdialog');
    expect(prompt).toHaveTextContent("Discard 2 projects' staged env changes and quit?");
    expect(within(prompt).getByTestId('close-prompt-projects')).toHaveTextContent('billing-api');
    expect(within(prompt).getByTestId('close-prompt-projects')).toHaveTextContent('checkout');
    await user.click(within(prompt).getByTestId('close-cancel'));
    expect(await closing).toBe(false);
    expect(screen.queryByTestId('close-prompt')).not.toBeInTheDocument();

    closing = fake.requestClose();
    await user.click(await screen.findByTestId('close-confirm'));
    expect(await closing).toBe(true);
  });

  it('Escape keeps the window open; when the check fails it still asks', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1)] });
    const tenantId = makeProject(1).tenantId!;
    fake.env.set(tenantId, draftOf({ tenantId, changes: [added('A', '1')] }));
    const { user } = renderApp(fake);
    await screen.findAllByTestId('project-row');

    let closing = fake.requestClose();
    expect(await screen.findByTestId('close-prompt')).toHaveTextContent("Discard 1 project's staged env changes and quit?");
    await user.keyboard('{Escape}');
    expect(await closing).toBe(false);

    fake.fail('envUnsaved', err('internal', 'The app is not answering.'));
    closing = fake.requestClose();
    expect(await screen.findByTestId('close-prompt')).toHaveTextContent('could not be checked');
    await user.click(screen.getByTestId('close-confirm'));
    expect(await closing).toBe(true);
  });
});

describe('App: env across projects', () => {
  it('project → env tab → compare → copy lands on the target env editor with the staged keys; leaving keeps them', async () => {
    const prod = makeProject(1, { name: 'shop-prod' });
    const staging = makeProject(2, { name: 'shop-staging' });
    const fake = createFake({ profiles: [cloudProfile()], projects: [prod, staging] });
    const [prodTenant, stagingTenant] = [prod.tenantId!, staging.tenantId!];
    fake.env
      .set(prodTenant, draftOf({ tenantId: prodTenant, vars: { ONLY_PROD: 'p', SHARED: 'prod-value' } }))
      .set(stagingTenant, draftOf({ tenantId: stagingTenant, vars: { SHARED: 'staging-value' } }))
      .respond('envCompare', {
        leftTenantId: prodTenant,
        rightTenantId: stagingTenant,
        rows: [
          { key: 'ONLY_PROD', status: 'onlyLeft', leftFingerprint: '9d8c7b6a5f4e', rightFingerprint: null },
          { key: 'SHARED', status: 'different', leftFingerprint: '6c1f0a9b2d3e', rightFingerprint: '0b7e5d4c3a21' },
        ],
      })
      .respond(
        'envCopy',
        draftOf({
          tenantId: stagingTenant,
          vars: { SHARED: 'staging-value' },
          changes: [added('ONLY_PROD', 'p'), changed('SHARED', 'staging-value', 'prod-value')],
        }),
      );
    const { ctx, user } = renderApp(fake);

    await user.click((await screen.findAllByTestId('project-row'))[0]!);
    await user.click(await screen.findByTestId('detail-tab-env'));
    await screen.findAllByTestId('env-row');
    await user.click(screen.getByTestId('env-compare-button'));
    await user.selectOptions(screen.getByTestId('env-compare-target'), staging.id);
    await user.click(await screen.findByTestId('env-compare-select-all'));
    await user.click(screen.getByTestId('env-compare-copy'));

    await waitFor(() => expect(ctx.nav.route).toEqual({ name: 'project', projectId: staging.id, tab: 'env' }));
    expect(fake.api.envCopy).toHaveBeenCalledWith(prodTenant, stagingTenant, ['ONLY_PROD', 'SHARED']);
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('shop-staging');
    await waitFor(() => expect(screen.getByTestId('env-staged-count')).toHaveTextContent('2 staged changes'));
    const states = Object.fromEntries(screen.getAllByTestId('env-row').map((r) => [r.dataset.key, r.dataset.state]));
    expect(states).toEqual({ ONLY_PROD: 'added', SHARED: 'changed' });
    expect(document.body.innerHTML).not.toContain('prod-value');

    // Leave and come back: the draft lives in the app.
    await user.click(screen.getByTestId('back-to-projects'));
    await user.click((await screen.findAllByTestId('project-row'))[1]!);
    expect(await screen.findByTestId('detail-env-badge')).toHaveTextContent('staged changes');
  });
});

describe('App: after the renderer stopped', () => {
  it('a normal start says nothing of a restart, and tells Rust each screen the person moves to', async () => {
    const project = makeProject(1, { name: 'shop' });
    const fake = createFake({ profiles: [cloudProfile()], projects: [project] });
    const { user } = renderApp(fake);
    await user.click((await screen.findAllByTestId('project-row'))[0]!);
    await user.click(await screen.findByTestId('detail-tab-env'));
    await waitFor(() => expect(fake.location).toEqual({ name: 'project', projectId: project.id, tab: 'env' }));
    expect(screen.queryByTestId('renderer-restarted')).not.toBeInTheDocument();
  });

  it('returns to the screen Rust kept, with its staged edits, and says the window was restarted', async () => {
    const project = makeProject(1, { name: 'shop' });
    const fake = createFake({ profiles: [cloudProfile()], projects: [project] });
    // What survives in Rust: a staged edit, and where the UI was.
    const tenantId = project.tenantId!;
    fake.env.set(tenantId, draftOf({ tenantId, vars: { FEATURE: 'on' }, changes: [changed('FEATURE', 'on', 'off')] }));
    fake.resume = { location: { name: 'project', projectId: project.id, tab: 'env' }, restarts: 1 };
    const { ctx, user } = renderApp(fake);

    const notice = await screen.findByTestId('renderer-restarted');
    expect(notice).toHaveTextContent('The window stopped and was restarted. Nothing was lost');
    expect(ctx.nav.route).toEqual({ name: 'project', projectId: project.id, tab: 'env' });
    expect(await screen.findByTestId('detail-name')).toHaveTextContent('shop');
    await waitFor(() => expect(screen.getByTestId('env-staged-count')).toHaveTextContent('1 staged change'));
    // Asked once: a later start is a normal one.
    expect(fake.resume).toBeNull();
    await user.click(screen.getByTestId('renderer-restarted-dismiss'));
    expect(screen.queryByTestId('renderer-restarted')).not.toBeInTheDocument();
  });
});
