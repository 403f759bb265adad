// The installed package: launch the binary the .deb put on the system and check that its window
// renders the first screen (not a blank page). Run by scripts/install-smoke.sh after installing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, distinctColours, sleep, startApp } from '../e2e/harness.mjs';

const BINARY = process.env.APP_BINARY ?? '/usr/bin/hasura-cloud-desktop';
let app;

before(async () => {
  app = await startApp({ binary: BINARY });
});

after(async () => {
  await app?.stop();
});

test('the installed app opens on its first screen', async () => {
  const b = app.browser;
  const welcome = await byTestId(b, 'welcome-screen', 30000);
  assert.match(await welcome.getText(), /sandbox/i);
  assert.match(await (await byTestId(b, 'welcome-sign-in')).getText(), /sign in/i);
});

test('the window is not blank', async () => {
  // The page can be in the DOM a moment before the first frame is painted, so look for up to
  // 20 s. A blank window is one colour; rendered text and buttons bring many (anti-aliasing).
  let colours = 0;
  for (const deadline = Date.now() + 20000; Date.now() < deadline; await sleep(250)) {
    colours = distinctColours(Buffer.from(await app.browser.takeScreenshot(), 'base64'));
    if (colours > 20) break;
  }
  assert.ok(colours > 20, `the screenshot has only ${colours} colours after 20 s`);
  const text = await app.browser.execute(() => document.body.innerText.trim().length);
  assert.ok(text > 40, `the page shows only ${text} characters of text`);
});
