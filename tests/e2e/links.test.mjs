// hasura-cloud-desktop:// links. The OS starts the app with the link as its only argument; when
// the app already runs, that second launch hands the link to the first window and exits. A link
// opens the project (or its env tab) in the profile that can see it; one that names nothing a
// profile can see, or is not a documented form, is refused with a sentence — never repeating it.
// Help → About lists the third-party licenses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { APP, appEnv, byTestId, screenshot, spawnTracked, startApp, textOf, withTimeout } from './harness.mjs';
import { click, rows } from './steps.mjs';

let app;
let b;
let projectId;

before(async () => {
  app = await startApp();
  b = app.browser;
  await click(b, 'welcome-sandbox');
  await b.waitUntil(async () => (await rows(b)).length >= 5, { timeout: 20000, timeoutMsg: 'sandbox projects not listed' });
});

after(async () => {
  await app?.stop();
});

/** Launches the app again on the first one's data folder with `link`; resolves once it exited. */
async function openLink(link) {
  const logs = [];
  const child = spawnTracked(APP, [link], { env: appEnv(app.home), stdio: ['ignore', 'pipe', 'pipe'] }, 'second app', logs);
  const { code, signal } = await withTimeout(
    new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    30000,
    'the second launch exiting',
  );
  assert.equal(signal, null, logs.join(''));
  assert.equal(code, 0, logs.join(''));
}

async function closed(testid) {
  await b.waitUntil(async () => !(await (await b.$(`[data-testid="${testid}"]`)).isExisting()), {
    timeout: 5000,
    timeoutMsg: `${testid} is still open`,
  });
}

test("a link handed to a second launch opens the project's env tab in the first window", async () => {
  // The project a teammate would link to: the id its page shows.
  const row = (await b.$$('[data-testid="project-row"]'))[2];
  await row.click();
  // The page fills in once the project's details arrive.
  await b.waitUntil(async () => /^[0-9a-f-]{36}$/.test(await textOf(b, 'detail-project-id-value')), {
    timeout: 15000,
    timeoutMsg: 'the project page shows no id',
  });
  projectId = await textOf(b, 'detail-project-id-value');
  const name = await textOf(b, 'detail-name');
  await click(b, 'nav-projects');
  await byTestId(b, 'project-search');

  await openLink(`hasura-cloud-desktop://project/${projectId}/env`);
  await byTestId(b, 'env-editor', 20000);
  assert.equal(await textOf(b, 'detail-name'), name);
  assert.equal(await (await byTestId(b, 'detail-tab-env')).getAttribute('aria-selected'), 'true');
  await screenshot(b, 'deep-link-env');
});

test('a link to a project no signed-in profile can see is refused, saying so', async () => {
  await openLink('hasura-cloud-desktop://project/7a79cf94-0e53-4520-a560-1b02bf522f08');
  const dialog = await byTestId(b, 'link-refused', 20000);
  assert.match(await dialog.getText(), /No profile can open this link/);
  assert.match(await textOf(b, 'link-refused-message'), /None of your signed-in profiles can see the project this link opens/);
  await click(b, 'link-refused-close');
  await closed('link-refused');
  // Where the person was is unchanged.
  assert.equal(await (await byTestId(b, 'detail-tab-env')).getAttribute('aria-selected'), 'true');
});

test('a link carrying more than a place is refused without repeating it', async () => {
  const secret = 'e2e-fake-SECRET-in-a-link';
  await openLink(`hasura-cloud-desktop://project/${projectId}/env?token=${secret}`);
  await byTestId(b, 'link-refused', 20000);
  const message = await textOf(b, 'link-refused-message');
  assert.match(message, /This link cannot be opened/);
  assert.equal(message.includes(secret), false, 'the refusal repeats the link');
  await click(b, 'link-refused-close');
  await closed('link-refused');
});

test('a link on the command line of the first launch opens once the window is ready', async () => {
  // A fresh data folder: no profile yet, so no profile can see it — said as the window opens.
  const fresh = await startApp({ args: ['hasura-cloud-desktop://project/0b0e7a52-7d3c-4c7e-9d0a-3f2f4a1c5e61'] });
  try {
    await byTestId(fresh.browser, 'link-refused', 30000);
    const message = await textOf(fresh.browser, 'link-refused-message');
    assert.match(message, /None of your signed-in profiles can see the project/);
  } finally {
    await fresh.stop();
  }
});

test('About lists the version, Tauri, WebKitGTK and the third-party licenses', async () => {
  await b.keys(['Control', 'k']);
  await byTestId(b, 'palette');
  await b.keys('about'.split(''));
  const firstMatch = () => b.execute(() => document.querySelector('[data-testid="palette-option"] .label')?.textContent);
  await b.waitUntil(async () => (await firstMatch()) === 'About Hasura Cloud Desktop', {
    timeout: 5000,
    timeoutMsg: 'About is not offered',
  });
  await b.keys('Enter');
  await byTestId(b, 'about-dialog');
  assert.match(await textOf(b, 'about-version'), /^\d+\.\d+\.\d+$/);
  assert.match(await textOf(b, 'about-commit'), /^[0-9a-f]{7,}$/);
  assert.match(await textOf(b, 'about-build-date'), /^\d{4}-\d{2}-\d{2}$/);
  assert.match(await textOf(b, 'about-tauri'), /^2\.\d+\.\d+$/);
  assert.match(await textOf(b, 'about-webview'), /^WebKitGTK \d+\.\d+/);
  const packages = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="about-license-row"]')].map((row) => ({
      ecosystem: row.getAttribute('data-ecosystem'),
      cells: [...row.querySelectorAll('td')].map((td) => td.textContent.trim()),
    })),
  );
  assert.ok(packages.length > 100, `only ${packages.length} packages listed`);
  const find = (ecosystem, name) => packages.find((p) => p.ecosystem === ecosystem && p.cells[0].replace(/ \(npm\)$/, '') === name);
  assert.match(find('crate', 'tauri')?.cells[2] ?? '', /MIT|Apache-2\.0/);
  assert.match(find('crate', 'tauri-plugin-deep-link')?.cells[2] ?? '', /MIT|Apache-2\.0/);
  assert.equal(find('npm', 'svelte')?.cells[2], 'MIT');
  assert.match(await textOf(b, 'about-license-count'), /\d+ Rust crates and \d+ npm packages/);
  await screenshot(b, 'about');
  await click(b, 'about-close');
  await closed('about-dialog');
});
