// Collaborators on a project's page: invite a collaborator with View Metrics, see the pending
// invitation with when it was sent, resend it, revoke it; and a token that sees none of the team
// parts (a simulator started with --hide-team) is told so, with the dashboard's page offered.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, screenshot, startApp, startSim, textOf } from './harness.mjs';
import { click, demoSession, rows, signInToDemo, type } from './steps.mjs';

const TOKEN = 'e2e-fake-pat-team-0123456789';
let app;
let b;
const { sim, test } = await demoSession({
  token: TOKEN,
  profile: 'Team',
  launched: (started) => {
    app = started;
    b = started.browser;
  },
  app: () => app,
});
const hidden = await startSim(['--token', TOKEN, '--seed-demo', '--hide-team']);
after(() => hidden.stop());

async function openCollaborators(name) {
  await click(b, 'nav-projects');
  await type(b, 'project-search', name);
  await b.waitUntil(async () => (await rows(b)).length === 1, { timeout: 10000 });
  await click(b, 'project-row');
  await byTestId(b, 'detail-name', 15000);
  await click(b, 'detail-tab-collaborators');
}

async function invitations() {
  const data = await sim.graphql(
    TOKEN,
    'query { projects(where: {name: {_eq: "analytics-eu"}}) { invitations { collaborator_email privileges resend_invitation_count } } }',
  );
  return data.projects[0].invitations;
}

test('invite a collaborator with View Metrics, see the pending invitation, resend, revoke', async () => {
  await openCollaborators('analytics-eu');
  await byTestId(b, 'team-owner', 15000); // the tab loads its list after it opens
  assert.match(await textOf(b, 'team-owner'), /owner@example\.com/);
  await type(b, 'invite-email', 'ana@example.com');
  await click(b, 'invite-graphql'); // User starts with Execute GraphQL: View Metrics alone
  await click(b, 'invite-metrics');
  await click(b, 'invite-send');
  await byTestId(b, 'invitation-row', 15000);
  assert.match(await textOf(b, 'invitation-row'), /ana@example\.com/);
  assert.match(await textOf(b, 'invitation-row'), /View Metrics/);
  assert.match(await textOf(b, 'invitation-sent'), /^sent /);
  assert.deepEqual(await invitations(), [
    { collaborator_email: 'ana@example.com', privileges: ['view_metrics'], resend_invitation_count: 0 },
  ]);
  await screenshot(b, 'collaborators-invited');

  await click(b, 'invitation-resend');
  await b.waitUntil(async () => /resent 1×/.test(await textOf(b, 'invitation-sent')), {
    timeout: 15000,
    timeoutMsg: 'the resend was not shown',
  });
  assert.equal((await invitations())[0].resend_invitation_count, 1);

  await click(b, 'invitation-revoke');
  await byTestId(b, 'invitations-empty', 15000);
  assert.deepEqual(await invitations(), []);
});

test('a token that sees no collaborators is told so and offered the dashboard', async () => {
  await app.stop();
  app = await startApp();
  b = app.browser;
  await signInToDemo(b, { name: 'Limited team', endpoint: hidden.url, token: TOKEN });
  await openCollaborators('analytics-eu');
  await byTestId(b, 'team-not-available', 15000);
  assert.match(await textOf(b, 'team-not-available'), /cannot manage collaborators/);
  assert.match(await textOf(b, 'team-not-available'), /https:\/\/cloud\.hasura\.io\/project\/[0-9a-f-]+\/collaborators/);
  await byTestId(b, 'team-open-dashboard');
  await screenshot(b, 'collaborators-not-available');
});
