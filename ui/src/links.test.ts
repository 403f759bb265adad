// hasura-cloud-desktop:// links: the UI opens what Rust read, in the profile that can see it.
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from './App.svelte';
import { createAppContext } from './lib/context';
import type { LinkTargets } from './lib/types';
import { cloudProfile, createFake, err, makeProject, sandboxProfile, type FakeBackend } from './test/fake-api';
import { makeRun } from './test/fake-preview';

const project = makeProject(1, { name: 'billing-api' });
const work = cloudProfile();
const home = cloudProfile({ id: 'p-home', name: 'Home' });

function envLink(profileIds: string[], message: string | null = null): LinkTargets {
  return {
    link: { kind: 'project', projectId: project.id, tab: 'env' },
    location: { name: 'project', projectId: project.id, tab: 'env' },
    profileIds,
    message,
  };
}

async function renderApp(fake: FakeBackend) {
  const ctx = createAppContext(fake.api);
  const user = userEvent.setup();
  render(App, { props: { api: fake.api, context: ctx } });
  await screen.findByTestId('shell');
  return { ctx, user };
}

describe('deep links', () => {
  it('a link the app was started with opens once the session has loaded', async () => {
    const fake = createFake({ profiles: [work], projects: [project] });
    fake.pendingLink = envLink(['p-work']);
    const { ctx } = await renderApp(fake);
    await waitFor(() => expect(ctx.nav.route).toEqual({ name: 'project', projectId: project.id, tab: 'env' }));
    expect(await screen.findByTestId('project-detail')).toBeInTheDocument();
    expect(fake.api.takeLink).toHaveBeenCalled();
  });

  it('a link handed to the running window opens in the only profile that can see it, switching to it', async () => {
    const fake = createFake({ profiles: [work, home], activeProfileId: 'p-work', projects: [project] });
    const { ctx } = await renderApp(fake);
    fake.link(envLink(['p-home']));
    await waitFor(() => expect(ctx.nav.route).toEqual({ name: 'project', projectId: project.id, tab: 'env' }));
    expect(fake.api.switchProfile).toHaveBeenCalledWith('p-home');
    expect(ctx.session.active?.id).toBe('p-home');
    expect(screen.queryByTestId('link-choose')).not.toBeInTheDocument();
  });

  it('asks which profile when several can see it, and opens it in the one chosen', async () => {
    const fake = createFake({ profiles: [work, home, sandboxProfile()], activeProfileId: 'p-work', projects: [project] });
    const { ctx, user } = await renderApp(fake);
    fake.link(envLink(['p-work', 'p-home']));
    const dialog = await screen.findByTestId('link-choose');
    const choices = screen.getAllByTestId('link-profile');
    expect(choices.map((c) => c.textContent?.trim())).toEqual(['Work', 'Home']);
    expect(dialog).toHaveTextContent('project');
    await user.click(choices[1]!);
    await waitFor(() => expect(ctx.nav.route).toEqual({ name: 'project', projectId: project.id, tab: 'env' }));
    expect(ctx.session.active?.id).toBe('p-home');
    expect(screen.queryByTestId('link-choose')).not.toBeInTheDocument();
  });

  it('cancelling the choice leaves the window where it was', async () => {
    const fake = createFake({ profiles: [work, home], activeProfileId: 'p-work', projects: [project] });
    const { ctx, user } = await renderApp(fake);
    fake.link(envLink(['p-work', 'p-home']));
    await user.click(await screen.findByTestId('link-cancel'));
    expect(screen.queryByTestId('link-choose')).not.toBeInTheDocument();
    expect(ctx.nav.route).toEqual({ name: 'projects' });
    expect(fake.api.switchProfile).not.toHaveBeenCalled();
  });

  it("says so when no profile can see it, in Rust's words, and stays where it was", async () => {
    const fake = createFake({ profiles: [work], projects: [project] });
    const { ctx, user } = await renderApp(fake);
    fake.link(envLink([], 'None of your signed-in profiles can see the project this link opens.'));
    const dialog = await screen.findByTestId('link-refused');
    expect(dialog).toHaveTextContent('No profile can open this link');
    expect(screen.getByTestId('link-refused-message')).toHaveTextContent('None of your signed-in profiles can see the project');
    await user.click(screen.getByTestId('link-refused-close'));
    expect(screen.queryByTestId('link-refused')).not.toBeInTheDocument();
    expect(ctx.nav.route).toEqual({ name: 'projects' });
  });

  it("a link Rust refused is shown with Rust's message", async () => {
    const fake = createFake({ profiles: [work], projects: [project] });
    await renderApp(fake);
    fake.link(err('invalidInput', 'This link cannot be opened: it is not one of the forms the app knows.', { field: 'link' }));
    expect(await screen.findByTestId('link-refused-message')).toHaveTextContent('it is not one of the forms the app knows');
  });

  it("a preview link follows the job, then shows its timeline", async () => {
    const fake = createFake({ profiles: [work], projects: [project] });
    fake.preview.tokens.add('p-work');
    const jobId = '00000000-0000-4000-9000-000000000042';
    fake.preview.push(makeRun({ id: jobId, appLink: `hasura-cloud-desktop://preview/${jobId}` }));
    const { ctx } = await renderApp(fake);
    fake.link({
      link: { kind: 'preview', jobId },
      location: { name: 'previews', view: 'run', runId: jobId },
      profileIds: ['p-work'],
      message: null,
    });
    await waitFor(() => expect(ctx.nav.route).toEqual({ name: 'previews', view: 'run', runId: jobId }));
    expect(fake.api.previewWatch).toHaveBeenCalledWith(jobId);
    expect(await screen.findByTestId('preview-timeline')).toBeInTheDocument();
  });
});
