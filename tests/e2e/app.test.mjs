// The whole path a new user takes, in the real app window against the simulator:
// sandbox, sign in (rejected and accepted token), list, search, create, look up, rename,
// delete, switch profiles — then a scan for the token everywhere the webview and disk can hold it.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { byTestId, filesContaining, screenshot, startApp, startSim, textOf } from './harness.mjs';
import { appSteps, rows as rowsOf, submitSignIn, type as typeInto } from './steps.mjs';

// Recognizable and obviously fake: the leak scan looks for it everywhere.
const TOKEN = 'e2e-fake-pat-LEAKCHECK-0123456789abcdef';
let sim;
let app;
let b;

const { start, test } = appSteps({
  launch: async () => {
    app = await startApp();
    b = app.browser;
  },
  app: () => app,
});

before(async () => {
  sim = await startSim(['--token', TOKEN, '--seed-demo', '--speed', '50', '--provisioning-secs', '1']);
  await start();
});

after(async () => {
  await app?.stop();
  sim?.stop();
});

/** Records every IPC answer the webview receives, for the leak scan. Tauri's IPC travels as
 * fetch requests to the `ipc:` scheme; its internals object is read-only, fetch is not. */
async function recordIpc() {
  await b.execute(() => {
    if (window.__ipcLog) return;
    window.__ipcLog = [];
    const fetchOriginal = window.fetch;
    window.fetch = async (input, init) => {
      const response = await fetchOriginal(input, init);
      const url = String(input?.url ?? input);
      if (url.startsWith('ipc:') || url.includes('ipc.localhost')) {
        window.__ipcLog.push(`${url} ${await response.clone().text()}`);
      }
      return response;
    };
  });
}

const rows = () => rowsOf(b);
const type = (testid, text) => typeInto(b, testid, text);

async function openSwitcherAndPick(name) {
  await (await byTestId(b, 'profile-switcher-button')).click();
  await byTestId(b, 'profile-switcher');
  const options = await b.$$('[data-testid="profile-option"]');
  for (const option of options) {
    if ((await option.getText()).includes(name)) {
      await option.click();
      return;
    }
  }
  throw new Error(`no profile named ${name}`);
}

test('the first screen offers the sandbox beside sign-in', async () => {
  await byTestId(b, 'welcome-screen');
  await recordIpc();
  await byTestId(b, 'welcome-sign-in');
  await screenshot(b, 'welcome');
  await (await byTestId(b, 'welcome-sandbox')).click();
  const banner = await byTestId(b, 'sandbox-banner');
  assert.match(await banner.getText(), /not connected to Hasura Cloud/i);
  await b.waitUntil(async () => (await rows()).length >= 5, { timeout: 15000, timeoutMsg: 'sandbox projects not listed' });
  await screenshot(b, 'sandbox');
});

test('a rejected token is refused, and what was typed stays', async () => {
  await (await byTestId(b, 'profile-switcher-button')).click();
  await (await byTestId(b, 'add-profile')).click();
  await submitSignIn(b, { name: 'Work', endpoint: sim.url, token: 'e2e-not-an-accepted-token' });
  const error = await byTestId(b, 'sign-in-token-error');
  assert.match(await error.getText(), /reject/i);
  await screenshot(b, 'sign-in-rejected');
  assert.equal(await (await byTestId(b, 'sign-in-profile-name')).getValue(), 'Work');
  assert.equal(await (await byTestId(b, 'sign-in-endpoint')).getValue(), sim.url);
});

test('an accepted token signs in and lists the projects in one request', async () => {
  const before = (await sim.stats()).requests;
  await type('sign-in-token', TOKEN);
  await (await byTestId(b, 'sign-in-submit')).click();
  await byTestId(b, 'project-list');
  await b.waitUntil(async () => (await rows()).length >= 5, { timeout: 15000 });
  assert.equal(await (await byTestId(b, 'active-profile')).getText(), 'Work');
  assert.equal(await (await b.$('[data-testid="sandbox-banner"]')).isExisting(), false);
  // Sign-in validates the token (one read); the list is one more.
  assert.ok((await sim.stats()).requests - before <= 3);
  await screenshot(b, 'projects');
});

test('search filters the list as one types', async () => {
  await type('project-search', 'shop-p');
  await b
    .waitUntil(async () => (await rows()).every((r) => r.includes('shop-p')), { timeout: 5000 })
    .catch(async (e) => assert.fail(`rows not filtered: ${JSON.stringify(await rows())} (${e.message})`));
  const filtered = await rows();
  assert.ok(filtered.length >= 1 && filtered.length < 7, `filtered to ${filtered.length}`);
  await type('project-search', 'no-such-project-anywhere');
  await byTestId(b, 'projects-no-match');
  await type('project-search', '');
  await b.waitUntil(async () => (await rows()).length >= 5, { timeout: 5000 });
});

test('Go to (Ctrl+K): type part of a name, choose with the arrows, Enter opens it', async () => {
  await b.keys(['Control', 'k']);
  await byTestId(b, 'palette');
  await b.waitUntil(async () => b.execute(() => document.activeElement?.getAttribute('data-testid') === 'palette-input'), {
    timeout: 5000,
    timeoutMsg: 'the palette input did not get the focus',
  });
  await b.keys('shop staging'.split(''));
  const firstMatch = () => b.execute(() => document.querySelector('[data-testid="palette-option"] .label')?.textContent);
  await b.waitUntil(async () => (await firstMatch()) === 'shop-staging', {
    timeout: 5000,
    timeoutMsg: 'shop-staging is not the first match',
  });
  await screenshot(b, 'go-to');
  await b.keys(['ArrowDown', 'Enter']);
  // The second match is the same project's environment variables.
  await byTestId(b, 'env-editor', 15000);
  assert.equal(await textOf(b, 'detail-name'), 'shop-staging');
  assert.equal(await (await b.$('[data-testid="palette"]')).isExisting(), false);
  await (await byTestId(b, 'nav-projects')).click();
  await byTestId(b, 'project-search');
});

let projectId;
let tenantId;

test('create a project, then see its details', async () => {
  await (await byTestId(b, 'nav-create')).click();
  await byTestId(b, 'create-project-form');
  // The radio itself is styled away; a person clicks its label.
  const aws = await b.$('[data-testid="create-cloud-aws"]');
  await aws.waitForExist({ timeout: 15000 });
  await (await aws.parentElement()).click();
  assert.equal(await aws.isSelected(), true);
  await type('create-region', 'us-east-2');
  await type('create-name', 'e2e-made');
  await screenshot(b, 'create-project');
  await (await byTestId(b, 'create-submit')).click();
  const name = await byTestId(b, 'detail-name', 20000);
  assert.equal(await name.getText(), 'e2e-made');
  projectId = await (await byTestId(b, 'detail-project-id-value')).getText();
  tenantId = await (await byTestId(b, 'detail-tenant-id-value')).getText();
  assert.match(projectId, /^[0-9a-f-]{36}$/);
  assert.match(tenantId, /^[0-9a-f-]{36}$/);
  assert.notEqual(projectId, tenantId);
  await screenshot(b, 'project-detail');
});

test('the NAT IP to allow in a database firewall: on the project, and per region in the create form', async () => {
  // The project just made is in aws us-east-2; the simulator gives regions documentation addresses.
  assert.equal(await textOf(b, 'detail-nat-ip-value'), '203.0.113.11');
  assert.match(await textOf(b, 'detail-nat-ip-hint'), /allow it in your database's firewall/);
  await byTestId(b, 'copy-nat-ip');

  await (await byTestId(b, 'nav-create')).click();
  await byTestId(b, 'create-project-form');
  await type('create-region', 'us-east-2');
  await b.waitUntil(async () => (await textOf(b, 'create-nat-ip-value')) === '203.0.113.11', {
    timeout: 15000,
    timeoutMsg: 'no NAT IP for us-east-2 in the create form',
  });
  assert.match(await textOf(b, 'create-nat-ip'), /allow this address in your database's firewall/);
  await byTestId(b, 'copy-create-nat-ip');
  await type('create-region', 'eu-central-1');
  await b.waitUntil(async () => (await textOf(b, 'create-nat-ip-value')) === '203.0.113.17', {
    timeout: 5000,
    timeoutMsg: 'the NAT IP did not follow the region',
  });
  await (await byTestId(b, 'create-cancel')).click();
  await byTestId(b, 'projects-screen');
});

test('look up a tenant id by project id, and details by tenant id', async () => {
  await (await byTestId(b, 'nav-lookup')).click();
  await type('lookup-project-id', projectId);
  await (await byTestId(b, 'lookup-project-submit')).click();
  const found = await byTestId(b, 'lookup-tenant-result-value');
  assert.equal(await found.getText(), tenantId);
  await type('lookup-tenant-id', tenantId);
  await (await byTestId(b, 'lookup-tenant-submit')).click();
  const details = await byTestId(b, 'lookup-tenant-details');
  assert.match(await details.getText(), /e2e-made/);
  await screenshot(b, 'look-up');
  await (await byTestId(b, 'lookup-open-project')).click();
  await byTestId(b, 'project-detail');
});

test('rename the project', async () => {
  await (await byTestId(b, 'rename-button')).click();
  await type('rename-input', 'e2e-renamed');
  await (await byTestId(b, 'rename-submit')).click();
  await b.waitUntil(async () => (await textOf(b, 'detail-name')) === 'e2e-renamed', {
    timeout: 10000,
    timeoutMsg: 'the new name did not appear',
  });
});

test('delete asks for the exact name, then removes the project', async () => {
  await (await byTestId(b, 'delete-button')).click();
  await byTestId(b, 'delete-dialog');
  assert.match(await (await byTestId(b, 'delete-losses')).getText(), /env/i);
  const confirm = await byTestId(b, 'delete-confirm-button');
  assert.equal(await confirm.isEnabled(), false);
  await type('delete-confirm-input', 'e2e-renamed-typo');
  assert.equal(await confirm.isEnabled(), false);
  await type('delete-confirm-input', 'e2e-renamed');
  await screenshot(b, 'delete-dialog');
  await b.waitUntil(() => confirm.isEnabled(), { timeout: 3000 });
  await confirm.click();
  await byTestId(b, 'project-list', 15000);
  await b.waitUntil(async () => !(await rows()).some((r) => r.includes('e2e-renamed')), { timeout: 10000 });
});

test('switch between profiles without restarting', async () => {
  await openSwitcherAndPick('Sandbox');
  await byTestId(b, 'sandbox-banner');
  await openSwitcherAndPick('Work');
  await b.waitUntil(async () => (await textOf(b, 'active-profile')) === 'Work', { timeout: 10000 });
  assert.equal(await (await b.$('[data-testid="sandbox-banner"]')).isExisting(), false);
});

test('the token appears nowhere: DOM, storage, IPC answers, settings, logs', async () => {
  const seen = await b.execute(() => ({
    dom: document.documentElement.outerHTML,
    inputs: [...document.querySelectorAll('input, textarea')].map((i) => i.value).join('\n'),
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    ipc: (window.__ipcLog ?? []).join('\n'),
    ipcCount: (window.__ipcLog ?? []).length,
  }));
  assert.ok(seen.ipcCount > 5, `IPC answers were recorded (${seen.ipcCount})`);
  for (const [where, text] of Object.entries(seen)) {
    if (typeof text === 'string') assert.equal(text.includes(TOKEN), false, `token found in ${where}`);
  }
  assert.deepEqual(filesContaining(app.home, TOKEN), [], 'token found in the app’s files');
  // Those files include the app's log (the OS's log folder is in the app's home here), which
  // said what happened.
  const logFiles = filesContaining(app.home, 'request operation=');
  assert.ok(logFiles.some((f) => /hasura-cloud-desktop\.\d{4}-\d{2}-\d{2}\.log$/.test(f)), `the app's log: ${logFiles}`);
  const logs = app.logs.join('') + sim.logs.join('');
  assert.equal(logs.includes(TOKEN), false, 'token found in logs');
  // The settings were written (so the scan above saw them) and hold the profiles.
  const settings = filesContaining(app.home, 'Work');
  assert.ok(settings.some((f) => f.endsWith('settings.json')), `settings file: ${settings}`);
  assert.equal(readFileSync(settings.find((f) => f.endsWith('settings.json')), 'utf8').includes(TOKEN), false);
});
