// The window heals itself when WebKit's web process dies: killed in the middle of an env edit,
// the page is loaded again on the env tab with the same staged edits, says what happened, and
// nothing is sent to Hasura Cloud. When it keeps dying, a plain page says so instead of looping.
//
// WebKitWebDriver ends its session when the web process dies, so the app is started by the test
// (with WebKit's remote inspector) and each check after a crash opens a new session on the same,
// still running app: a window that did not come back has no page with these elements to find.
import assert from 'node:assert/strict';
import { byTestId, capture, distinctColours, launchApp, sleep, textOf, webProcessesOf } from './harness.mjs';
import { click, demoSession, rows, type } from './steps.mjs';

const TOKEN = 'e2e-fake-pat-renderer-0123456789';
let app;
let b;
const { sim, test } = await demoSession({
  token: TOKEN,
  profile: 'Renderer',
  launch: launchApp,
  launched: (started) => {
    app = started;
    b = started.browser;
  },
  app: () => app,
});

/** The app's output since `mark` characters. */
const printedSince = (mark) => app.logs.join('').slice(mark);

/** Kills the app's web process with `signal`; resolves once the app has started a new one. */
async function killWebProcess(signal) {
  const [web] = webProcessesOf(app.pid);
  assert.ok(web, "the app's web process was not found");
  const mark = app.logs.join('').length;
  process.kill(web, signal);
  await waitFor(() => printedSince(mark).includes("The window's renderer stopped"), 15000, 'the app did not notice its renderer stopped');
  await waitFor(() => webProcessesOf(app.pid).some((pid) => pid !== web), 15000, 'no new web process was started');
  assert.ok(app.running, 'the app itself exited');
  return printedSince(mark);
}

async function waitFor(check, timeout, message) {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${message}\n${app.logs.join('')}`);
    await sleep(100);
  }
}

/** The env hash Hasura Cloud has for a project (asked as another client would, not by the app). */
async function envHash(name) {
  const api = (query, variables) => sim.graphql(TOKEN, query, variables);
  const { projects } = await api('query($n: String!) { projects(where: {name: {_eq: $n}}) { tenant { id } } }', { n: name });
  const data = await api('query($t: uuid!) { getTenantEnv(tenantId: $t) { hash } }', { t: projects[0].tenant.id });
  return data.getTenantEnv.hash;
}

async function stagedCount() {
  return Number((await textOf(b, 'env-staged-count')).match(/\d+/)?.[0] ?? -1);
}

/** Waits until a screenshot of the window shows more than a blank or half-painted frame. */
async function assertPainted() {
  let colours = 0;
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    colours = distinctColours(await capture(b));
    if (colours > 20) return;
    await sleep(250);
  }
  assert.fail(`the window shows ${colours} colours: it was not painted again`);
}

test('killed mid-edit, the window comes back on the env tab with the same staged edits, and sends nothing', async () => {
  await click(b, 'nav-projects');
  await type(b, 'project-search', 'shop-staging');
  await b.waitUntil(async () => (await rows(b)).length === 1, { timeout: 10000 });
  await click(b, 'project-row');
  await click(b, 'detail-tab-env', 15000);
  await byTestId(b, 'env-list', 15000);
  await type(b, 'env-add-key', 'RENDERER_TEST');
  await type(b, 'env-add-value', 'kept');
  await click(b, 'env-add-submit');
  const row = await b.$('[data-testid="env-row"][data-key="FEATURE_NEW_CHECKOUT"]');
  await (await row.$('[data-testid="env-edit"]')).click();
  await type(b, 'env-edit-input', 'false');
  await click(b, 'env-edit-save');
  await b.waitUntil(async () => (await stagedCount()) === 2, { timeout: 5000, timeoutMsg: 'two staged changes' });
  const envBefore = await envHash('shop-staging');
  const before = await sim.stats();
  const pid = app.pid;

  // SIGABRT: a crash. (A SIGSEGV sent with kill is caught and ignored by JavaScriptCore's fault handler.)
  const printed = await killWebProcess('SIGABRT');
  assert.match(printed, /renderer stopped \(Crashed\); loading the page again/);

  b = await app.attach();
  const notice = await byTestId(b, 'renderer-restarted', 20000);
  assert.match(await notice.getText(), /The window stopped and was restarted\. Nothing was lost/);
  assert.equal(await (await byTestId(b, 'detail-tab-env')).getAttribute('aria-selected'), 'true');
  await byTestId(b, 'env-list', 15000);
  assert.equal(await textOf(b, 'detail-name'), 'shop-staging');
  assert.equal(await stagedCount(), 2);
  const added = await b.$('[data-testid="env-row"][data-key="RENDERER_TEST"]');
  assert.equal(await added.getAttribute('data-state'), 'added');
  await assertPainted();
  assert.equal(app.pid, pid);
  // Nothing was sent again: Hasura Cloud's env and projects are as they were; the page re-read
  // only what the screen shows (the project with its region's NAT IP in one read, and the list:
  // 2 reads, none of them the env).
  const stats = await sim.stats();
  assert.equal(await envHash('shop-staging'), envBefore, 'the env changed on Hasura Cloud');
  assert.equal(stats.projects, before.projects);
  assert.ok(stats.requests - before.requests <= 2, `${stats.requests - before.requests} requests after the restart`);
});

test('when it keeps stopping, a plain page says so; Try again returns to the same screen', async () => {
  // The first stop was in the step before: two more within the minute make three. Each kill
  // waits for the page to be back (a web process killed while it starts is another matter).
  await killWebProcess('SIGKILL');
  b = await app.attach();
  assert.match(await (await byTestId(b, 'renderer-restarted', 20000)).getText(), /restarted \(2 times so far\)/);
  const printed = await killWebProcess('SIGKILL');
  assert.match(printed, /stopped \(\w+\) 3 times within 60 s; showing renderer-stopped\.html/);

  b = await app.attach();
  const page = await byTestId(b, 'renderer-stopped', 20000);
  assert.match(await page.getText(), /The window keeps stopping/);
  assert.equal(await b.$('[data-testid="app"]').isExisting(), false, 'the app was loaded again anyway');
  await assertPainted();

  await click(b, 'renderer-stopped-retry');
  await byTestId(b, 'renderer-restarted', 20000);
  await byTestId(b, 'env-list', 15000);
  assert.equal(await stagedCount(), 2);
});
