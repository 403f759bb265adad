// GitHub preview apps in the real window against the simulator: a successful preview app (URL
// pasted into the wizard, GitHub token kept in the keychain, timeline to "ready" with links), a
// scripted failure, two creations with the same name (the first is skipped), and clean-up from
// the list. The simulator runs its jobs 4× faster than the real service.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { byTestId, screenshot, startApp, startSim } from './harness.mjs';
import { appSteps, click, paste, submitSignIn, type } from './steps.mjs';

const TOKEN = 'e2e-fake-pat-preview-0123456789';
/** A recognizable fake GitHub token: it must never come back into the page. */
const GITHUB_TOKEN = 'github_pat_E2EFAKEpreviewTOKEN_0123456789';
let sim;
let app;
let b;
const { start, test } = appSteps({
  launch: async () => {
    app = await startApp();
    b = app.browser;
    await click(b, 'welcome-sign-in');
    await submitSignIn(b, { name: 'Preview', endpoint: sim.url, token: TOKEN });
    await byTestId(b, 'projects-screen', 20000);
  },
  app: () => app,
});

/** OS notifications the app sent, as seen on the session bus (the desktop's notification call). */
let notifications = '';
let monitor;

async function waitNotification(pattern) {
  await b.waitUntil(async () => pattern.test(notifications), {
    timeout: 15000,
    timeoutMsg: `no OS notification matching ${pattern}; seen: ${notifications.match(/string "Preview app[^"]*"/g)}`,
  });
}

const api = (query, variables) => sim.graphql(TOKEN, query, variables);

async function projectNamed(name) {
  const data = await api('query($n: String!) { projects(where: {name: {_eq: $n}}) { id name } }', { n: name });
  return data.projects[0] ?? null;
}

function attr(testid, name) {
  return b.execute((id, n) => document.querySelector(`[data-testid="${id}"]`)?.getAttribute(n) ?? null, testid, name);
}

async function waitPhase(phase, timeout = 60000) {
  await b.waitUntil(async () => (await attr('pw-phase', 'data-phase')) === phase, {
    timeout,
    timeoutMsg: `the run did not reach ${phase} (it is ${await attr('pw-phase', 'data-phase')})`,
  });
}

async function taskState(task) {
  return b.execute((t) => document.querySelector(`[data-testid="pw-deployment"] [data-task="${t}"]`)?.dataset.state ?? null, task);
}

/** Runs the wizard: repository text, branch (unless a URL fills it), then the defaults. */
async function createThroughWizard({ repository, branch, envBlock }) {
  await click(b, 'nav-previews');
  await click(b, 'pw-new');
  await type(b, 'pw-repository', repository);
  if (branch !== undefined) await type(b, 'pw-branch', branch);
  await byTestId(b, 'github-token-saved');
  await click(b, 'pw-next');
  await byTestId(b, 'pw-name');
  await click(b, 'pw-next');
  if (envBlock) {
    await paste(b, 'pw-env-text', envBlock);
    await click(b, 'pw-env-text-add');
  }
  await click(b, 'pw-next');
  await click(b, 'pw-create');
  await byTestId(b, 'preview-timeline', 20000);
}

before(async () => {
  monitor = spawn('dbus-monitor', ['--session', "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  monitor.stdout.on('data', (d) => (notifications += d.toString()));
  sim = await startSim(['--token', TOKEN, '--seed-demo', '--speed', '4', '--provisioning-secs', '2']);
  await start();
});

after(async () => {
  await app?.stop();
  await sim?.stop();
  monitor?.kill();
});

test('wizard: a pasted URL fills branch and folder; the GitHub token is saved and never shown again', async () => {
  await click(b, 'nav-previews');
  await byTestId(b, 'previews-screen');
  await click(b, 'pw-new');
  await type(b, 'pw-repository', 'https://github.com/acme/shop/tree/e2e-success/hasura');
  await byTestId(b, 'pw-repository-filled', 10000);
  assert.equal(await (await byTestId(b, 'pw-branch')).getValue(), 'e2e-success');
  assert.equal(await (await byTestId(b, 'pw-directory')).getValue(), 'hasura');

  const tokenField = await byTestId(b, 'github-token-input');
  assert.equal(await tokenField.getAttribute('type'), 'password');
  await type(b, 'github-token-input', GITHUB_TOKEN);
  // Let the "Signed in" toast go before the picture.
  await b
    .waitUntil(() => b.execute(() => !document.querySelector('[data-testid="status-message"]')?.textContent?.trim()), { timeout: 8000 })
    .catch(() => {});
  await screenshot(b, 'preview-wizard');
  await click(b, 'pw-next'); // saves the token, then step 2
  const name = await byTestId(b, 'pw-name', 15000);
  assert.equal(await name.getValue(), 'e2e-success');

  // The name is checked as typed: what can become a host name is taken (my-app_name is sent as
  // my-app-name), what cannot is refused.
  await type(b, 'pw-name', 'E_');
  assert.match(await (await byTestId(b, 'pw-name-error')).getText(), /too short.*lowercase/);
  await click(b, 'pw-name-suggestion');
  assert.equal(await name.getValue(), 'e2e-success');

  // Back: the token is saved, not displayed; what was typed is kept.
  await click(b, 'pw-back');
  await byTestId(b, 'github-token-saved');
  assert.equal(await (await b.$('[data-testid="github-token-input"]')).isExisting(), false);
  assert.equal(await (await byTestId(b, 'pw-repository')).getValue(), 'https://github.com/acme/shop/tree/e2e-success/hasura');
  const leak = await b.execute(
    (t) =>
      document.body.innerHTML.includes(t) ||
      [...document.querySelectorAll('input, textarea')].some((i) => i.value.includes(t)) ||
      JSON.stringify(localStorage).includes(t) ||
      JSON.stringify(sessionStorage).includes(t),
    GITHUB_TOKEN,
  );
  assert.equal(leak, false, 'the GitHub token is back in the page');
});

test('a successful preview app: the timeline reaches ready, with links to the console and the project', async () => {
  await click(b, 'pw-next');
  await click(b, 'pw-next');
  await paste(b, 'pw-env-text', 'HASURA_GRAPHQL_DEV_MODE=true\nLOG_LEVEL="debug"\nBROKEN="never closed\nTAIL=1');
  await click(b, 'pw-env-text-add');
  // What could not be read stays in the text, every line of it, with its line as pasted.
  assert.match(await (await byTestId(b, 'pw-env-text-errors')).getText(), /^Line 1: .*BROKEN.*never closed.*\(was line 3\)$/);
  assert.equal(await (await byTestId(b, 'pw-env-text')).getValue(), 'BROKEN="never closed\nTAIL=1');
  assert.equal(await (await byTestId(b, 'pw-env-text-added')).getText(), '2 variables added.');
  await click(b, 'pw-next');
  assert.match(await (await byTestId(b, 'pw-review-envs')).getText(), /2 variables: HASURA_GRAPHQL_DEV_MODE, LOG_LEVEL/);
  await click(b, 'pw-create');
  await byTestId(b, 'preview-timeline', 20000);
  assert.equal(await (await byTestId(b, 'pw-timeline-title')).getText(), 'e2e-success');

  // Mid-way, the deployment's tasks show (as Hasura Cloud starts them) with readable labels and raw names.
  const labels = () =>
    b.execute(() =>
      [...document.querySelectorAll('[data-testid="pw-deployment"] [data-testid="pw-task"]')].map((t) => [
        t.querySelector('[data-testid="pw-task-label"]')?.textContent,
        t.querySelector('[data-testid="pw-task-raw"]')?.textContent ?? null,
      ]),
    );
  await b.waitUntil(async () => (await labels()).length > 0, { timeout: 60000, timeoutMsg: 'no deployment task shown' });
  assert.deepEqual((await labels())[0], ['Fetch metadata and migrations from GitHub', 'gh-validation']);

  // Leaving and coming back shows the same run.
  await click(b, 'nav-projects');
  await click(b, 'nav-previews');
  await b.waitUntil(async () => (await b.$$('[data-testid="pw-run-item"]')).length >= 1, { timeout: 10000 });
  await (await b.$('[data-testid="pw-run-item"] button')).click();
  await byTestId(b, 'preview-timeline');

  await waitPhase('succeeded', 90000);
  await waitNotification(/string "Preview app e2e-success is ready"/);
  await byTestId(b, 'pw-open-console');
  await byTestId(b, 'pw-open-project');
  const states = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="pw-deployment"] [data-testid="pw-task"]')].map((t) => t.dataset.state),
  );
  assert.deepEqual(states, Array(6).fill('succeeded'));
  assert.deepEqual((await labels()).map(([, raw]) => raw), [
    'gh-validation',
    'parse-metadata-migration',
    'apply-metadata',
    'apply-migration',
    'reload-metadata',
    'check-healthz',
  ]);
  const durations = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="pw-deployment"] [data-testid="pw-task-duration"]')].map((t) => t.textContent),
  );
  assert.ok(durations.every((d) => /\d+ s/.test(d)), `durations: ${durations}`);
  await screenshot(b, 'preview-timeline');

  await click(b, 'pw-open-project');
  const title = await byTestId(b, 'detail-name', 15000);
  assert.equal(await title.getText(), 'e2e-success');
  assert.ok(await projectNamed('e2e-success'));
});

test('a scripted failure: the failing task and a clear reason', async () => {
  await createThroughWizard({ repository: 'acme/shop', branch: 'fail-apply-migration' });
  await waitPhase('failed', 90000);
  await waitNotification(/string "Preview app \S+ failed: Deploying the preview app failed at “Apply migrations”/);
  const error = await (await byTestId(b, 'pw-run-error')).getText();
  assert.match(error, /fail-apply-migration failed/);
  assert.match(error, /Apply migrations/);
  assert.equal(await taskState('apply-migration'), 'failed');
  assert.equal(await taskState('apply-metadata'), 'succeeded');
  // Later tasks never started: Hasura Cloud lists a task once it has begun.
  assert.ok([null, 'pending'].includes(await taskState('reload-metadata')));
  assert.match(await (await b.$('[data-task="apply-migration"] [data-testid="pw-task-error"]')).getText(), /\S/);
});

test('an unreadable repository: Hasura Cloud could not read it, with the GitHub detail', async () => {
  await createThroughWizard({ repository: 'acme/unreadable-shop', branch: 'main' });
  await waitPhase('failed', 90000);
  assert.match(await (await byTestId(b, 'pw-run-error')).getText(), /could not read acme\/unreadable-shop/);
  assert.equal(await taskState('gh-validation'), 'failed');
  assert.match(await (await b.$('[data-task="gh-validation"] [data-testid="pw-task-github"]')).getText(), /acme\/unreadable-shop/);
});

test('two creations with the same name: the first is skipped, with the explanation', async () => {
  // A "slow" branch keeps the first creation job running long enough to be overtaken.
  await createThroughWizard({ repository: 'acme/shop', branch: 'slow-twice' });
  const first = await b.execute(() => document.querySelector('[data-testid="preview-timeline"] .meta .mono')?.textContent);
  await createThroughWizard({ repository: 'acme/shop', branch: 'slow-twice' });
  await click(b, 'pw-timeline-back');
  await b.waitUntil(async () => (await b.$$('[data-testid="pw-run-item"]')).length >= 2, { timeout: 10000 });
  // Newest first: the second run, then the first.
  await b.waitUntil(
    async () =>
      (await b.execute(() => [...document.querySelectorAll('[data-testid="pw-run-item"]')].map((i) => i.dataset.phase)))[1] === 'skipped',
    { timeout: 60000, timeoutMsg: 'the first run was not marked skipped' },
  );
  await (await b.$$('[data-testid="pw-run-item"] button'))[1].click();
  await waitPhase('skipped', 5000);
  assert.match(await (await byTestId(b, 'pw-skipped')).getText(), /a newer creation with the same name took over/);
  assert.ok((await b.execute(() => document.querySelector('[data-testid="preview-timeline"] .meta .mono')?.textContent)) === first);
  await click(b, 'pw-show-newer');
  await byTestId(b, 'pw-banner');
  assert.notEqual(await attr('pw-phase', 'data-phase'), 'skipped');
});

test('a creation that made two projects: both listed, marked, and one cleaned up alone', async () => {
  // A reported bug of the real service, reproduced by the simulator for the next creation.
  await sim.addFault({ kind: 'duplicate_preview_app', times: 1 });
  await createThroughWizard({ repository: 'acme/shop', branch: 'dup-twice' });
  await waitPhase('succeeded', 90000);
  const twins = async () => (await api('{ projects(where: {name: {_eq: "dup-twice"}}) { id } }')).projects;
  assert.equal((await twins()).length, 2);

  await click(b, 'nav-previews');
  await click(b, 'pw-apps-refresh');
  const rowsNamed = () => b.$$('[data-testid="pw-app-row"][data-name="dup-twice"]');
  await b.waitUntil(async () => (await rowsNamed()).length === 2, { timeout: 15000, timeoutMsg: 'the two projects are not two rows' });
  for (const row of await rowsNamed()) {
    assert.equal(await row.getAttribute('data-duplicate'), 'true');
    assert.equal(await (await row.$('[data-testid="pw-app-duplicate"]')).getText(), 'Duplicate');
  }
  await (await (await rowsNamed())[1].$('[data-testid="pw-app-select"]')).click();
  assert.match(await (await byTestId(b, 'pw-apps-delete')).getText(), /Delete \(1\)/);
  await click(b, 'pw-apps-delete');
  await type(b, 'pw-cleanup-confirm-input', 'dup-twice');
  await click(b, 'pw-cleanup-confirm');
  assert.match(await (await byTestId(b, 'pw-cleanup-report', 20000)).getText(), /Deleted: dup-twice/);
  await b.waitUntil(async () => (await rowsNamed()).length === 1, { timeout: 15000, timeoutMsg: 'the kept twin is not listed alone' });
  assert.equal(await (await rowsNamed())[0].getAttribute('data-duplicate'), null);
  assert.equal((await twins()).length, 1);
  await click(b, 'pw-cleanup-report-close');
});

test('clean-up from the list: typed confirmation, then the report', async () => {
  await click(b, 'nav-previews');
  await click(b, 'pw-apps-refresh');
  const row = await b.$('[data-testid="pw-app-row"][data-name="e2e-success"]');
  await row.waitForDisplayed({ timeout: 15000 });
  assert.equal(await (await row.$('[data-testid="pw-app-project"]')).getText(), 'Exists');
  await (await row.$('[data-testid="pw-app-select"]')).click();
  await click(b, 'pw-apps-delete');
  await byTestId(b, 'pw-cleanup-dialog');
  const confirm = await byTestId(b, 'pw-cleanup-confirm');
  assert.equal(await confirm.isEnabled(), false);
  await type(b, 'pw-cleanup-confirm-input', 'e2e-success');
  await click(b, 'pw-cleanup-confirm');
  const report = await byTestId(b, 'pw-cleanup-report', 20000);
  assert.match(await report.getText(), /Deleted: e2e-success/);
  await b.waitUntil(async () => (await (await row.$('[data-testid="pw-app-project"]')).getText()) !== 'Exists', {
    timeout: 15000,
    timeoutMsg: 'the row still says the project exists',
  });
  assert.equal(await projectNamed('e2e-success'), null);
});
