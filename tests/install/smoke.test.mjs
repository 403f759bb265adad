// The installed package: launch the binary the .deb put on the system and check that its window
// renders the first screen (not a blank page). Run by scripts/install-smoke.sh after installing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, startApp } from '../e2e/harness.mjs';

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
  const png = Buffer.from(await app.browser.takeScreenshot(), 'base64');
  // A blank window compresses to almost nothing; a rendered screen with text does not.
  assert.ok(png.length > 15000, `screenshot is only ${png.length} bytes`);
  const colours = await app.browser.execute(() => {
    const text = document.body.innerText.trim();
    return { length: text.length, background: getComputedStyle(document.body).backgroundColor };
  });
  assert.ok(colours.length > 40, `the page shows ${colours.length} characters of text`);
});
