// Fleet env changes in the real window against the simulator: "where is this value used?" finds a
// value held under two key names in 5 projects, Rotate… changes it everywhere while a second
// writer changes one project meanwhile (4 applied, 1 conflict, settled afterwards in its env
// screen), an activity entry per applied project, and the undo of the fleet change restores the
// values exactly.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, screenshot, startApp, startSim, textOf } from './harness.mjs';
import { appSteps, click, rows, submitSignIn, type } from './steps.mjs';

const TOKEN = 'e2e-fake-pat-fleet-0123456789';
const OLD = 'sk_test_e2e_old_value';
const NEW = 'sk_test_e2e_new_value';
const NAMES = ['fleet-a', 'fleet-b', 'fleet-c', 'fleet-d', 'fleet-e'];
const keyOf = (i) => (i % 2 === 0 ? 'STRIPE_KEY' : 'PAYMENTS_SECRET');

let sim;
let app;
let b;
const { start, test } = appSteps({
  launch: async () => {
    app = await startApp();
    b = app.browser;
    await click(b, 'welcome-sign-in');
    await submitSignIn(b, { name: 'Fleet', endpoint: sim.url, token: TOKEN });
    await b.waitUntil(async () => (await rows(b)).length >= NAMES.length, {
      timeout: 20000,
      timeoutMsg: 'projects not listed',
    });
  },
  app: () => app,
});

/** The simulator's API, as a second writer would use it. */
const api = (query, variables) => sim.graphql(TOKEN, query, variables);

async function tenantOf(name) {
  const data = await api('query($n: String!) { projects(where: {name: {_eq: $n}}) { tenant { id } } }', { n: name });
  return data.projects[0].tenant.id;
}

async function envOf(name) {
  const data = await api('query($t: uuid!) { getTenantEnv(tenantId: $t) { hash envVars } }', { t: await tenantOf(name) });
  const vars = data.getTenantEnv.envVars;
  return { hash: data.getTenantEnv.hash, vars: vars.environment ?? vars };
}

async function summary() {
  return (await textOf(b, 'fleet-summary')).replace(/\s+/g, ' ').trim();
}

before(async () => {
  sim = await startSim(['--token', TOKEN]);
  for (const [i, name] of NAMES.entries()) {
    await api(
      'mutation($n: String!, $e: [UpdateEnvsObject]) { createTenant(name: $n, cloud: "aws", region: "us-east-2", plan: "cloud_free", envs: $e) { id } }',
      { n: name, e: [{ key: keyOf(i), value: OLD }, { key: 'KEEP', value: 'k' }] },
    );
  }
  await start();
});

after(async () => {
  await app?.stop();
  sim?.stop();
});

let before_ = [];

test('find where a value is used, rotate it with a second writer meanwhile: 4 applied, 1 conflict', async () => {
  before_ = await Promise.all(NAMES.map(async (n) => (await envOf(n)).vars));
  await click(b, 'fleet-open');
  await byTestId(b, 'fleet-screen');
  await (await byTestId(b, 'find-project')).selectByVisibleText(NAMES[0]);
  await type(b, 'find-key', 'STRIPE_KEY');
  await click(b, 'find-run');
  await b.waitUntil(async () => /Used in 5 of 5 projects/.test(await textOf(b, 'find-summary')), {
    timeout: 20000,
    timeoutMsg: 'the value was not found in the 5 projects',
  });
  const found = await textOf(b, 'find-rows');
  assert.match(found, /fleet-b: PAYMENTS_SECRET/);
  assert.doesNotMatch(await (await byTestId(b, 'fleet-screen')).getText(), new RegExp(OLD));

  await type(b, 'rotate-value', NEW);
  await click(b, 'rotate');
  assert.match(await textOf(b, 'fleet-count'), /5 projects/);
  await screenshot(b, 'fleet-selection');
  await click(b, 'fleet-preview');
  await byTestId(b, 'fleet-preview-table', 20000);
  await screenshot(b, 'fleet-preview');

  // A second writer changes the third project's key after the preview.
  const third = await envOf(NAMES[2]);
  await api('mutation($t: uuid!, $h: String!, $e: [UpdateEnvObject!]!) { updateTenantEnv(tenantId: $t, currentHash: $h, envs: $e) { hash } }', {
    t: await tenantOf(NAMES[2]),
    h: third.hash,
    e: [{ key: 'STRIPE_KEY', value: 'sk_test_theirs' }],
  });

  await click(b, 'fleet-apply');
  await byTestId(b, 'fleet-progress', 10000);
  await screenshot(b, 'fleet-progress');
  await byTestId(b, 'fleet-summary', 60000);
  assert.equal(await summary(), '4 applied, 0 nothing to change, 1 conflict, 0 failed, 0 not reached');
  await screenshot(b, 'fleet-report');

  for (const [i, name] of NAMES.entries()) {
    const vars = (await envOf(name)).vars;
    assert.equal(vars[keyOf(i)], i === 2 ? 'sk_test_theirs' : NEW, name);
    assert.equal(vars.KEEP, 'k');
  }
});

test('every applied project has an activity entry', async () => {
  await click(b, 'nav-activity');
  await byTestId(b, 'activity-list', 15000);
  const kinds = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="activity-entry"]')].map((e) => [e.getAttribute('data-kind'), e.textContent]),
  );
  const applied = kinds.filter(([kind]) => kind === 'envApplied');
  assert.equal(applied.length, 4, JSON.stringify(kinds));
  for (const name of [NAMES[0], NAMES[1], NAMES[3], NAMES[4]]) {
    assert.ok(applied.some(([, text]) => text.includes(name)), `no entry for ${name}`);
  }
});

test('the conflict is settled afterwards in the project env screen', async () => {
  await click(b, 'nav-projects');
  await type(b, 'project-search', NAMES[2]);
  await b.waitUntil(async () => (await rows(b)).length === 1, { timeout: 10000 });
  await click(b, 'project-row');
  await click(b, 'detail-tab-env', 15000);
  // The fleet run left this project's draft with the conflict pending.
  await click(b, 'env-conflict-open', 15000);
  const conflict = await b.$('[data-testid="env-conflict"][data-key="STRIPE_KEY"]');
  await conflict.waitForDisplayed({ timeout: 15000, timeoutMsg: 'no conflict shown' });
  await (await conflict.$('[data-testid="env-conflict-choice-mine"]')).click();
  await click(b, 'env-conflict-resolve');
  await click(b, 'env-review-apply', 15000);
  await b.waitUntil(async () => (await envOf(NAMES[2])).vars.STRIPE_KEY === NEW, {
    timeout: 15000,
    timeoutMsg: 'the settled value was not applied',
  });
});

test('undo of the fleet change restores the values exactly', async () => {
  await click(b, 'nav-projects');
  await click(b, 'fleet-open');
  // The run lives in the app: reopening the screen shows its report again.
  await byTestId(b, 'fleet-summary', 15000);
  await click(b, 'fleet-undo');
  await byTestId(b, 'fleet-preview-table', 20000);
  await click(b, 'fleet-apply');
  await b.waitUntil(async () => /^4 applied/.test(await summary().catch(() => '')), {
    timeout: 60000,
    timeoutMsg: 'the undo did not finish',
  });
  for (const [i, name] of NAMES.entries()) {
    if (i === 2) continue; // settled by hand, not part of the fleet change
    assert.deepEqual((await envOf(name)).vars, before_[i], name);
  }
});
