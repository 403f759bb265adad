// Custom domains and plan on a project's page: add a domain, see the CNAME to create, follow its
// DNS validation until the simulator validates it (on a control call); change the plan; and a
// token that sees none of it is told so, with the dashboard's page offered instead.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, screenshot, startApp, startSim, textOf } from './harness.mjs';
import { click, demoSession, rows, signInToDemo, type } from './steps.mjs';

const TOKEN = 'e2e-fake-pat-domains-0123456789';
let app;
let b;
const { sim, test } = await demoSession({
  token: TOKEN,
  profile: 'Domains',
  launched: (started) => {
    app = started;
    b = started.browser;
  },
  app: () => app,
});
const hidden = await startSim(['--token', TOKEN, '--seed-demo', '--hide-team']);
after(() => hidden.stop());

async function openProject(name) {
  await click(b, 'nav-projects');
  await type(b, 'project-search', name);
  await b.waitUntil(async () => (await rows(b)).length === 1, { timeout: 10000 });
  await click(b, 'project-row');
  await byTestId(b, 'detail-name', 15000);
}

async function control(path, body) {
  const response = await fetch(`${sim.base}/control/${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
}

test('add a custom domain: the CNAME to create, then followed until "DNS validated"', async () => {
  await openProject('shop-staging');
  await type(b, 'domain-input', 'api.shop.example.com');
  await click(b, 'domain-add');
  await byTestId(b, 'domain-record', 15000);
  assert.equal(await textOf(b, 'record-name'), 'api.shop.example.com');
  assert.equal(await textOf(b, 'record-target'), 'shop-staging.hasura.app');
  assert.equal(await textOf(b, 'domain-status'), 'DNS validation pending');
  assert.match(await textOf(b, 'domain-hint'), /Up to 24 hours is normal/);
  await screenshot(b, 'custom-domain-pending');

  // The DNS record "appears": the simulator validates the domain now.
  await control('custom-domains', { fqdn: 'api.shop.example.com', dns_validation: 'succeeded' });
  await b.waitUntil(async () => (await textOf(b, 'domain-status')) === 'DNS validated', {
    timeout: 60000,
    timeoutMsg: 'the domain never showed as validated',
  });
  assert.equal(await textOf(b, 'domain-certificate'), "Let's Encrypt certificate");
  await screenshot(b, 'custom-domain-validated');
});

test('change the plan: what it means, then the new plan on the overview', async () => {
  await openProject('shop-staging');
  assert.match(await textOf(b, 'plan-summary'), /Free/);
  await click(b, 'change-plan-button');
  await click(b, 'plan-choice-cloud_payg', 15000);
  assert.match(await textOf(b, 'plan-notes'), /maintenance mode/);
  await screenshot(b, 'change-plan');
  await click(b, 'plan-submit');
  await b.waitUntil(async () => !(await (await b.$('[data-testid="change-plan-dialog"]')).isExisting()), {
    timeout: 15000,
    timeoutMsg: 'the dialog did not close',
  });
  const data = await sim.graphql(TOKEN, 'query { projects(where: {name: {_eq: "shop-staging"}}) { plan_name } }');
  assert.equal(data.projects[0].plan_name, 'cloud_payg');
  await b.waitUntil(async () => !/Free/.test(await textOf(b, 'plan-summary')), { timeout: 15000 });
});

test('a token that sees none of it is told so and offered the dashboard', async () => {
  await app.stop();
  app = await startApp();
  b = app.browser;
  await signInToDemo(b, { name: 'Limited', endpoint: hidden.url, token: TOKEN });
  await openProject('shop-staging');
  assert.match(await textOf(b, 'domains-not-available'), /cannot use custom domains/);
  await byTestId(b, 'domains-open-dashboard');
  await click(b, 'change-plan-button');
  await click(b, 'plan-choice-cloud_payg', 15000);
  await click(b, 'plan-submit');
  await byTestId(b, 'plan-not-available', 15000);
  assert.match(await textOf(b, 'plan-not-available'), /cannot change plans/);
  await byTestId(b, 'plan-open-dashboard');
  await screenshot(b, 'team-not-available');
});
