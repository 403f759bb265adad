import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/svelte';
import ProjectsScreen from './ProjectsScreen.svelte';
import { cloudProfile, createFake, err, makeProject } from '../test/fake-api';
import { renderWith, signedIn } from '../test/render';

function fakeWith(n: number) {
  return createFake({
    profiles: [cloudProfile()],
    projects: Array.from({ length: n }, (_, i) => makeProject(i)),
  });
}

describe('ProjectsScreen', () => {
  it('marks the projects this profile treats as production', async () => {
    const projects = [makeProject(0), makeProject(1)];
    const fake = createFake({ profiles: [cloudProfile({ productionProjects: [projects[1]!.id] })], projects });
    await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    const rows = await screen.findAllByTestId('project-row');
    expect(within(rows[0]!).queryByTestId('project-production-badge')).not.toBeInTheDocument();
    expect(within(rows[1]!).getByTestId('project-production-badge')).toHaveTextContent('Production');
  });

  it('shows loading, then the projects from one listProjects request', async () => {
    const fake = fakeWith(3);
    const release = fake.hold('listProjects');
    await renderWith(ProjectsScreen, fake, { prepare: signedIn });

    expect(screen.getByTestId('projects-loading')).toBeInTheDocument();
    release();

    const rows = await screen.findAllByTestId('project-row');
    expect(rows).toHaveLength(3);
    expect(fake.api.listProjects).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('projects-loading')).not.toBeInTheDocument();
    expect(screen.getByTestId('projects-count')).toHaveTextContent('3 projects');
    // columns: name, region/cloud, plan, created
    const first = rows[0]!;
    expect(first).toHaveTextContent('project-0000');
    expect(first).toHaveTextContent('us-east-2 · AWS');
    expect(first).toHaveTextContent('Free');
    expect(first).toHaveTextContent('2024');
  });

  it('shows an empty state with a Create project action', async () => {
    const fake = fakeWith(0);
    const { ctx, user } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });

    const empty = await screen.findByTestId('projects-empty');
    expect(empty).toHaveTextContent('No projects yet');
    await user.click(within(empty).getByTestId('empty-create-project'));
    expect(ctx.nav.route).toEqual({ name: 'create' });
  });

  it('shows the error with a Retry that retries', async () => {
    const fake = fakeWith(2).fail('listProjects', err('network', 'Could not reach Hasura Cloud.'));
    const { user } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });

    const error = await screen.findByTestId('projects-error');
    expect(error).toHaveTextContent('Could not reach Hasura Cloud.');
    await user.click(within(error).getByTestId('retry-button'));

    expect(await screen.findAllByTestId('project-row')).toHaveLength(2);
    expect(fake.api.listProjects).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId('projects-error')).not.toBeInTheDocument();
  });

  it('unreachable with a list kept from last time: shows it, says it is offline, and Try again recovers', async () => {
    const kept = [makeProject(7, { name: 'kept-a' }), makeProject(8, { name: 'kept-b' })];
    const fake = fakeWith(3).fail('listProjects', err('network', 'Could not reach Hasura Cloud: connection refused.'));
    fake.cachedList = { fetchedAt: '2026-11-27T09:30:00Z', rows: kept };
    const { user } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    const banner = await screen.findByTestId('projects-offline');
    expect(banner).toHaveTextContent(/^Offline\. Showing the list as of .+; changes will fail until Hasura Cloud can be reached again\./);
    expect(banner).toHaveTextContent('Could not reach Hasura Cloud: connection refused.');
    expect(banner).toHaveAttribute('role', 'status');
    const rows = await screen.findAllByTestId('project-row');
    expect(rows.map((r) => r.querySelector('.title')!.textContent)).toEqual(['kept-a', 'kept-b']);
    expect(screen.queryByTestId('projects-error')).not.toBeInTheDocument();

    await user.click(screen.getByTestId('projects-offline-retry'));
    await waitFor(() => expect(screen.queryByTestId('projects-offline')).not.toBeInTheDocument());
    expect(screen.getAllByTestId('project-row')).toHaveLength(3);
  });

  it('refused for another reason (a rejected token): the error, never the kept list', async () => {
    const fake = fakeWith(2).fail('listProjects', err('tokenRejected', 'Hasura Cloud rejected the token.'));
    fake.cachedList = { fetchedAt: '2026-11-27T09:30:00Z', rows: [makeProject(7)] };
    await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    expect(await screen.findByTestId('projects-error')).toHaveTextContent('rejected the token');
    expect(screen.queryByTestId('projects-offline')).not.toBeInTheDocument();
    expect(fake.api.cachedProjects).not.toHaveBeenCalled();
  });

  it('a search reuses the rows on screen: their text changes, no row is made anew', async () => {
    // Rows made anew on every keystroke leave the old ones to the engine's next full collection:
    // the web process grew by about 0.1 MiB a keystroke over 200 projects.
    const fake = createFake({
      profiles: [cloudProfile()],
      projects: [makeProject(1, { name: 'billing-api' }), makeProject(2, { name: 'checkout' }), makeProject(3, { name: 'search-prod' })],
    });
    const { user } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    const [first, second] = await screen.findAllByTestId('project-row');
    await user.type(screen.getByTestId('project-search'), 'check');
    const shown = screen.getAllByTestId('project-row');
    expect(shown).toHaveLength(1);
    expect(shown[0]).toBe(first);
    expect(shown[0]).toHaveTextContent('checkout');
    expect(shown[0]).toHaveAttribute('data-project-id', makeProject(2).id);
    expect(second).not.toBeInTheDocument();
  });

  it('filters instantly by name, id, tenant id, region and slug', async () => {
    const fake = createFake({
      profiles: [cloudProfile()],
      projects: [
        makeProject(1, { name: 'billing-api', slug: 'shiny-otter-12', region: 'eu-central-1', cloud: 'aws' }),
        makeProject(2, { name: 'checkout', region: 'us-central1', cloud: 'gcp' }),
        makeProject(3, { name: 'search-prod', region: 'ap-south-1', cloud: 'aws' }),
      ],
    });
    const { user } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    await screen.findAllByTestId('project-row');
    const search = screen.getByTestId('project-search');

    const names = () => screen.queryAllByTestId('project-row').map((r) => r.querySelector('.title')?.textContent);

    await user.type(search, 'check');
    expect(names()).toEqual(['checkout']);
    expect(screen.getByTestId('projects-count')).toHaveTextContent('1 of 3 projects');

    await user.clear(search);
    await user.type(search, 'shiny-otter');
    expect(names()).toEqual(['billing-api']);

    await user.clear(search);
    await user.type(search, 'eu-central');
    expect(names()).toEqual(['billing-api']);

    await user.clear(search);
    await user.type(search, makeProject(3).tenantId!);
    expect(names()).toEqual(['search-prod']);

    await user.clear(search);
    await user.type(search, makeProject(2).id.toUpperCase());
    expect(names()).toEqual(['checkout']);

    await user.clear(search);
    await user.type(search, 'nothing-like-this');
    expect(screen.getByTestId('projects-no-match')).toHaveTextContent('No project matches');
  });

  it('sorts by name, created, region and plan, toggling direction', async () => {
    const fake = createFake({
      profiles: [cloudProfile()],
      projects: [
        makeProject(1, { name: 'bravo', plan: 'cloud_payg', region: 'us-east-2', createdAt: '2024-03-01T00:00:00Z' }),
        makeProject(2, { name: 'alpha', plan: 'cloud_shared', region: 'eu-central-1', createdAt: '2024-01-01T00:00:00Z' }),
        makeProject(3, { name: 'charlie', plan: 'cloud_free', region: 'ap-south-1', createdAt: '2024-02-01T00:00:00Z' }),
      ].map((p) => ({ ...p, cloud: 'aws' })),
    });
    const { user } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    await screen.findAllByTestId('project-row');
    const names = () => screen.getAllByTestId('project-row').map((r) => r.querySelector('.title')?.textContent);

    expect(names()).toEqual(['alpha', 'bravo', 'charlie']);
    await user.click(screen.getByTestId('sort-name'));
    expect(names()).toEqual(['charlie', 'bravo', 'alpha']);
    await user.click(screen.getByTestId('sort-created'));
    expect(names()).toEqual(['bravo', 'charlie', 'alpha']); // newest first
    await user.click(screen.getByTestId('sort-region'));
    expect(names()).toEqual(['charlie', 'alpha', 'bravo']);
    await user.click(screen.getByTestId('sort-plan'));
    // Free, Professional, Shared
    expect(names()).toEqual(['charlie', 'bravo', 'alpha']);
    expect(screen.getByTestId('sort-plan')).toHaveAttribute('aria-pressed', 'true');
  });

  it('renders only a window of a 5,000-row list and searches it instantly', async () => {
    const fake = fakeWith(5000);
    const { user } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    await screen.findAllByTestId('project-row');

    expect(screen.getByTestId('projects-count')).toHaveTextContent('5,000 projects');
    const rendered = screen.getAllByTestId('project-row').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(100);

    const started = performance.now();
    await user.type(screen.getByTestId('project-search'), 'project-4999');
    expect(screen.getAllByTestId('project-row')).toHaveLength(1);
    expect(screen.getByTestId('projects-count')).toHaveTextContent('1 of 5,000 projects');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('keyboard: "/" and Ctrl+F focus search, arrows move, Enter opens', async () => {
    const fake = fakeWith(5);
    const { ctx, user } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    await screen.findAllByTestId('project-row');
    const search = screen.getByTestId('project-search');

    (document.activeElement as HTMLElement | null)?.blur();
    await user.keyboard('/');
    expect(search).toHaveFocus();
    expect(search).toHaveValue('');

    search.blur();
    await user.keyboard('{Control>}f{/Control}');
    expect(search).toHaveFocus();

    const rows = () => screen.getAllByTestId('project-row');
    expect(rows()[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(rows()[2]).toHaveAttribute('aria-selected', 'true');
    expect(search).toHaveAttribute('aria-activedescendant', rows()[2]!.id);
    await user.keyboard('{ArrowUp}');
    expect(rows()[1]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    expect(ctx.nav.route).toEqual({ name: 'project', projectId: makeProject(1).id });
  });

  it('the list itself takes arrows and Enter; clicking a row opens it', async () => {
    const fake = fakeWith(3);
    const { ctx, user } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    await screen.findAllByTestId('project-row');
    const list = screen.getByTestId('project-list');
    list.focus();
    await user.keyboard('{End}');
    expect(screen.getAllByTestId('project-row')[2]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    expect(ctx.nav.route).toEqual({ name: 'project', projectId: makeProject(2).id });

    ctx.nav.go({ name: 'projects' });
    await user.click(screen.getAllByTestId('project-row')[0]!);
    expect(ctx.nav.route).toEqual({ name: 'project', projectId: makeProject(0).id });
  });

  it('a search-focus request (menu "Search") focuses the search box', async () => {
    const fake = fakeWith(2);
    const { ctx } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    await screen.findAllByTestId('project-row');
    ctx.nav.focusSearch();
    await waitFor(() => expect(screen.getByTestId('project-search')).toHaveFocus());
  });

  it('Refresh reloads the list', async () => {
    const fake = fakeWith(2);
    const { user } = await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    await screen.findAllByTestId('project-row');
    fake.projects.push(makeProject(7));
    await user.click(screen.getByTestId('refresh-projects'));
    await waitFor(() => expect(screen.getAllByTestId('project-row')).toHaveLength(3));
    expect(fake.api.listProjects).toHaveBeenCalledTimes(2);
  });

  it('shows a fleet change still going when the list opens (after a window restart)', async () => {
    const projects = [makeProject(0), makeProject(1)];
    const fake = createFake({ profiles: [cloudProfile()], projects });
    const plan = fake.fleet.preview(
      projects.map((p) => p.tenantId!),
      [{ op: 'delete', key: 'A' }],
    );
    const run = fake.fleet.start({ planId: plan.planId, confirmNames: {}, stopOnFailure: false, watchHealth: false });
    fake.fleet.control(run.id, 'pause');
    await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    expect(await screen.findByTestId('fleet-screen')).toBeInTheDocument();
    expect(await screen.findByTestId('fleet-resume')).toBeInTheDocument();
  });

  it('leaves the fleet panel closed when no fleet change is going', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(0)] });
    await renderWith(ProjectsScreen, fake, { prepare: signedIn });
    await waitFor(() => expect(fake.api.fleetRuns).toHaveBeenCalled());
    expect(screen.queryByTestId('fleet-screen')).toBeNull();
  });
});
