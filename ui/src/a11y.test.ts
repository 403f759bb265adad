// Every screen and the main dialogs, checked with axe-core: names and roles of controls, labels,
// landmarks, ARIA use. (Colour contrast needs real layout, which jsdom has not; the themes'
// colours are chosen by hand.)
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { domainView } from './test/fake-domains';
import { privilege } from './test/fake-team';
import App from './App.svelte';
import { createAppContext, type AppContext } from './lib/context';
import type { Route } from './lib/nav.svelte';
import { cloudProfile, createFake, makeProject, type FakeBackend } from './test/fake-api';
import { added, changed, draftOf, snapshotOf } from './test/env-draft';
import { makeRun, task } from './test/fake-preview';
import { previewFake, renderPreviews } from './test/preview-setup';

// axe probes a canvas for icon fonts; jsdom has none and says so on every call.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

const projects = [makeProject(1, { name: 'shop-staging' }), makeProject(2, { name: 'shop-production' })];
const TENANT = projects[0]!.tenantId!;
const VARS = { HASURA_GRAPHQL_ADMIN_SECRET: 'admin', LOG_LEVEL: 'debug', FEATURE_FLAGS: { beta: true } };

/** The violations axe finds in the page, as readable lines ("rule: target — help"). */
async function violations(): Promise<string[]> {
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
}

function renderApp(fake: FakeBackend): { ctx: AppContext; user: ReturnType<typeof userEvent.setup> } {
  const ctx = createAppContext(fake.api);
  render(App, { props: { api: fake.api, context: ctx } });
  return { ctx, user: userEvent.setup() };
}

async function signedInApp() {
  const fake = createFake({ profiles: [cloudProfile()], projects });
  fake.env.set(TENANT, draftOf({ tenantId: TENANT, vars: VARS, secret: ['HASURA_GRAPHQL_ADMIN_SECRET'] }));
  const r = renderApp(fake);
  await screen.findAllByTestId('project-row');
  return { fake, ...r };
}

describe('accessibility (axe-core)', () => {
  it('the check itself catches what it is for: a control without a name, a field without a label', async () => {
    document.body.innerHTML = '<main><button></button><input type="text"></main>';
    const found = await violations();
    document.body.innerHTML = '';
    expect(found.some((v) => v.startsWith('button-name:'))).toBe(true);
    expect(found.some((v) => v.startsWith('label:'))).toBe(true);
  });

  it('the welcome and sign-in screens', async () => {
    const { user } = renderApp(createFake());
    await screen.findByTestId('welcome-screen');
    expect(await violations()).toEqual([]);
    await user.click(screen.getByTestId('welcome-sign-in'));
    await screen.findByTestId('sign-in-token');
    expect(await violations()).toEqual([]);
  });

  const screens: [string, Route, string][] = [
    ['projects', { name: 'projects' }, 'project-row'],
    ['a project', { name: 'project', projectId: projects[0]!.id }, 'detail-tab-env'],
    ['its environment variables', { name: 'project', projectId: projects[0]!.id, tab: 'env' }, 'env-row'],
    ['create a project', { name: 'create' }, 'create-project-form'],
    ['look up', { name: 'lookUp' }, 'lookup-screen'],
    ['preview apps', { name: 'previews' }, 'previews-screen'],
    ['a new preview app', { name: 'previews', view: 'new' }, 'preview-wizard'],
    ['activity', { name: 'activity' }, 'activity-screen'],
  ];
  for (const [name, route, testid] of screens) {
    it(`the ${name} screen`, async () => {
      const { ctx } = await signedInApp();
      ctx.nav.go(route);
      await waitFor(() => expect(screen.getAllByTestId(testid).length).toBeGreaterThan(0));
      expect(await violations()).toEqual([]);
    });
  }

  it('the env dialogs (review, snapshots, discard, import, export), compare, rename, delete, the palette and the profile switcher', async () => {
    const { ctx, fake, user } = await signedInApp();
    // A draft after one apply (so a snapshot), with one edit staged; the comparison Rust answers.
    fake.env.set(
      TENANT,
      draftOf({
        tenantId: TENANT,
        vars: { ...VARS, LOG_LEVEL: 'info' },
        secret: ['HASURA_GRAPHQL_ADMIN_SECRET'],
        changes: [added('NEW_KEY', '1')],
        snapshots: [snapshotOf(1, [changed('LOG_LEVEL', 'debug', 'info')])],
      }),
    );
    fake.env.respond('envCompare', {
      leftTenantId: TENANT,
      rightTenantId: projects[1]!.tenantId!,
      rows: [
        { key: 'LOG_LEVEL', status: 'different', leftFingerprint: '3fa9c2e01b7d', rightFingerprint: '0b7e5d4c3a21' },
        { key: 'NEW_KEY', status: 'onlyLeft', leftFingerprint: '9d8c7b6a5f4e', rightFingerprint: null },
      ],
    });
    ctx.nav.go({ name: 'project', projectId: projects[0]!.id, tab: 'env' });
    await screen.findAllByTestId('env-row');

    for (const [button, dialog] of [
      ['env-review-button', 'env-review'],
      ['env-snapshots-button', 'env-snapshots'],
      ['env-discard-button', 'env-discard-dialog'],
    ] as const) {
      await user.click(await screen.findByTestId(button));
      await screen.findByTestId(dialog);
      expect(await violations(), dialog).toEqual([]);
      await user.keyboard('{Escape}');
      await waitFor(() => expect(screen.queryByTestId(dialog)).not.toBeInTheDocument());
    }

    for (const [button, dialog] of [
      ['env-import-button', 'env-import'],
      ['env-export-button', 'env-export-dialog'],
    ] as const) {
      await user.click(screen.getByTestId(button));
      await screen.findByTestId(dialog);
      expect(await violations(), dialog).toEqual([]);
      await user.keyboard('{Escape}');
      await waitFor(() => expect(screen.queryByTestId(dialog)).not.toBeInTheDocument());
    }

    // Compare, with the other project chosen and its rows shown.
    await user.click(screen.getByTestId('env-compare-button'));
    await user.selectOptions(await screen.findByTestId('env-compare-target'), projects[1]!.id);
    await screen.findAllByTestId('env-compare-row');
    expect(await violations(), 'compare').toEqual([]);
    await user.click(screen.getByTestId('env-compare-close'));

    // The project's overview: rename and delete.
    await user.click(screen.getByTestId('detail-tab-overview'));
    await user.click(await screen.findByTestId('rename-button'));
    await screen.findByTestId('rename-input');
    expect(await violations(), 'rename').toEqual([]);
    await user.click(screen.getByTestId('rename-cancel'));
    await user.click(screen.getByTestId('delete-button'));
    await screen.findByTestId('delete-dialog');
    expect(await violations(), 'delete dialog').toEqual([]);
    await user.click(screen.getByTestId('delete-cancel'));

    ctx.nav.paletteOpen = true;
    await screen.findByTestId('palette');
    expect(await violations(), 'palette').toEqual([]);
    await user.keyboard('{Escape}');
    await user.click(screen.getByTestId('profile-switcher-button'));
    await screen.findByTestId('profile-switcher');
    expect(await violations(), 'profile switcher').toEqual([]);
  });

  it('custom domains (list, the CNAME to create, delete) and change plan', async () => {
    const { ctx, fake, user } = await signedInApp();
    fake.domains.domains = [domainView('old.example.com', 'validated')];
    fake.domains.settleAs = null;
    ctx.nav.go({ name: 'project', projectId: projects[0]!.id });
    await user.type(await screen.findByTestId('domain-input'), 'api.example.com');
    await user.click(screen.getByTestId('domain-add'));
    await screen.findByTestId('domain-record');
    expect(await violations(), 'domains with a new record').toEqual([]);
    await user.click(screen.getAllByTestId('domain-delete')[0]!);
    await screen.findByTestId('domain-delete-dialog');
    expect(await violations(), 'delete a domain').toEqual([]);
    await user.click(screen.getByTestId('domain-delete-cancel'));
    await user.click(screen.getByTestId('change-plan-button'));
    await user.click(await screen.findByTestId('plan-choice-cloud_payg'));
    expect(await violations(), 'change plan').toEqual([]);
    await user.click(screen.getByTestId('plan-cancel'));
    fake.domains.release('validated');
  });

  it('custom domains and plan for a token that cannot use them', async () => {
    const { ctx, fake, user } = await signedInApp();
    fake.domains.hidden = true;
    ctx.nav.go({ name: 'project', projectId: projects[0]!.id });
    await screen.findByTestId('domains-not-available');
    expect(await violations(), 'domains not available').toEqual([]);
    await user.click(screen.getByTestId('change-plan-button'));
    await user.click(await screen.findByTestId('plan-choice-cloud_payg'));
    await user.click(screen.getByTestId('plan-submit'));
    await screen.findByTestId('plan-not-available');
    expect(await violations(), 'plan not available').toEqual([]);
  });

  it('collaborators (owner, collaborators, invitations, invite form, change privileges, remove) and for a token that cannot see them', async () => {
    const { ctx, fake, user } = await signedInApp();
    fake.team.collaborators = [{ id: 'c-1', email: 'bo@example.com', status: 'active', privileges: [privilege('graphql_admin')] }];
    fake.team.invitations = [
      { id: 'i-1', email: 'ana@example.com', invitedAt: '2026-12-01T10:00:00.000000+00:00', privileges: [privilege('view_metrics')], resendCount: 1 },
    ];
    ctx.nav.go({ name: 'project', projectId: projects[0]!.id, tab: 'collaborators' });
    await screen.findByTestId('invitation-row');
    await user.type(screen.getByTestId('invite-email'), 'cy@example.com');
    expect(await violations(), 'collaborators').toEqual([]);
    await user.click(screen.getByTestId('collaborator-edit'));
    await screen.findByTestId('collaborator-edit-form');
    expect(await violations(), 'change privileges').toEqual([]);
    await user.click(screen.getByTestId('collaborator-remove'));
    await screen.findByTestId('collaborator-remove-dialog');
    expect(await violations(), 'remove a collaborator').toEqual([]);
    await user.click(screen.getByTestId('collaborator-remove-cancel'));

    fake.team.hidden = true;
    ctx.nav.go({ name: 'project', projectId: projects[0]!.id, tab: 'overview' });
    await screen.findByTestId('detail-fields');
    ctx.nav.go({ name: 'project', projectId: projects[0]!.id, tab: 'collaborators' });
    await screen.findByTestId('team-not-available');
    expect(await violations(), 'collaborators not available').toEqual([]);
  });

  it('About with its license list, and the link dialogs (choose a profile, refused)', async () => {
    const { fake } = await signedInApp();
    fake.menu('about');
    await screen.findAllByTestId('about-license-row');
    expect(await violations(), 'about').toEqual([]);
    await userEvent.setup().click(screen.getByTestId('about-close'));
    const link = { kind: 'project' as const, projectId: projects[0]!.id, tab: 'env' as const };
    fake.link({ link, location: { name: 'project', ...link }, profileIds: ['p-work', 'p-home'], message: null });
    await screen.findByTestId('link-choose');
    expect(await violations(), 'choose a profile').toEqual([]);
    await userEvent.setup().click(screen.getByTestId('link-cancel'));
    fake.link({ link, location: { name: 'project', ...link }, profileIds: [], message: 'None of your signed-in profiles can see it.' });
    await screen.findByTestId('link-refused');
    expect(await violations(), 'refused').toEqual([]);
  });

  it('a preview app’s live timeline, with a failed task and its error', async () => {
    const fake = previewFake();
    const at = '2025-03-01T12:00:00.000Z';
    fake.preview.push(
      makeRun({
        phase: 'failed',
        creation: {
          id: 'job-1',
          jobType: 'github-preview-app-creation',
          status: 'success',
          state: 'succeeded',
          tasks: [task('create-preview-app', { state: 'succeeded', startedAt: at, finishedAt: at, durationMs: 8000 })],
        },
        deployment: {
          id: 'job-2',
          jobType: 'github-preview-app-deployment',
          status: 'failed',
          state: 'failed',
          tasks: [
            task('gh-validation', { state: 'succeeded', startedAt: at, finishedAt: at, durationMs: 65_000 }),
            task('apply-migrations', { state: 'failed', startedAt: at, durationMs: 2000, error: 'relation "users" already exists' }),
            task('check-healthz'),
          ],
        },
      }),
    );
    await renderPreviews(fake, 'run', 'job-1');
    const timeline = await screen.findByTestId('preview-timeline');
    expect(timeline).toHaveTextContent('relation "users" already exists');
    expect(await violations()).toEqual([]);
  });
});
