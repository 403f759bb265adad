// Quitting asks about staged env changes like the window's close button does: the menu's Quit
// (Ctrl+Q here, ⌘Q on macOS) is a request to the app, which Rust turns into a close request of
// the window (src-tauri/src/quit.rs); the UI's prompt answers it. Keep editing keeps the app and
// the edits; Discard and quit ends the app.
//
// The app is started by the test (launchApp), so that its exit can be seen. The key goes to the
// window through X (xdotool), as a person's would: WebDriver's keys reach the page, not GTK's
// menu accelerators.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { byTestId, launchApp, sleep, textOf } from './harness.mjs';
import { click, demoSession, rows, type } from './steps.mjs';

const TOKEN = 'e2e-fake-pat-quit-0123456789';
let app;
let b;
const { sim, test, start } = await demoSession({
  token: TOKEN,
  profile: 'Quit',
  launch: launchApp,
  launched: (started) => {
    app = started;
    b = started.browser;
  },
  app: () => app,
});

/** Presses Ctrl+Q in the app's window, the menu's Quit accelerator. */
function pressQuit() {
  const window = execFileSync('xdotool', ['search', '--sync', '--onlyvisible', '--pid', String(app.pid)], { timeout: 15000 })
    .toString()
    .trim()
    .split('\n')[0];
  execFileSync('xdotool', ['windowfocus', '--sync', window]);
  execFileSync('xdotool', ['key', '--clearmodifiers', 'ctrl+q']);
}

/** How the app process ended, waiting up to 15 s for it: its exit code, or the signal that ended it. */
async function exited() {
  const deadline = Date.now() + 15000;
  while (app.running && Date.now() < deadline) await sleep(200);
  return app.exit;
}

/** A quit is an exit with code 0 — not a crash on the way out (a signal), not a failure code. */
const CLEAN_EXIT = { code: 0, signal: null };

async function stagedCount() {
  return Number((await textOf(b, 'env-staged-count')).match(/\d+/)?.[0] ?? 0);
}

test('Ctrl+Q with a staged env change asks first: Keep editing keeps it, Discard and quit exits', async () => {
  await click(b, 'nav-projects');
  await type(b, 'project-search', 'shop-staging');
  await b.waitUntil(async () => (await rows(b)).length === 1, { timeout: 10000 });
  await click(b, 'project-row');
  await click(b, 'detail-tab-env', 15000);
  await byTestId(b, 'env-list', 15000);
  await type(b, 'env-add-key', 'E2E_QUIT_STAGED');
  await type(b, 'env-add-value', 'kept');
  await click(b, 'env-add-submit');
  await b.waitUntil(async () => (await stagedCount()) === 1, { timeout: 5000, timeoutMsg: 'one staged change' });

  pressQuit();
  await byTestId(b, 'close-prompt', 10000);
  assert.match(await textOf(b, 'close-prompt-projects'), /shop-staging/);
  await click(b, 'close-cancel');
  await (await b.$('[data-testid="close-prompt"]')).waitForExist({ reverse: true, timeout: 5000 });
  await sleep(1000);
  assert.equal(app.running, true, 'Keep editing keeps the app running');
  assert.equal(await stagedCount(), 1, 'and the staged change');

  pressQuit();
  await byTestId(b, 'close-prompt', 10000);
  // The window closes under the click, so WebDriver may not get its answer.
  await click(b, 'close-confirm').catch(() => {});
  assert.deepEqual(await exited(), CLEAN_EXIT, 'Discard and quit ends the app cleanly');
});

test('Ctrl+Q with nothing staged quits at once, without a prompt', async () => {
  await start();
  await byTestId(b, 'project-row', 15000);
  pressQuit();
  assert.deepEqual(await exited(), CLEAN_EXIT, 'the app ended cleanly');
});
