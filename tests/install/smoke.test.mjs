// The installed package: launch the binary the .deb put on the system and check that its window
// renders the first screen (not a blank page). Run by scripts/install-smoke.sh after installing.
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { byTestId, sleep, startApp } from '../e2e/harness.mjs';

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
  // What the X server shows of the page, under the menu bar (no window manager here: the window
  // is at the screen's corner). WebKitWebDriver's own screenshot never answers once the webview
  // has been switched to drawing without the compositor (renderer.rs), and the screen's pixels
  // are what a person sees. The page can be in the DOM a moment before its first frame, so look
  // for up to 20 s. A blank page is one colour; rendered text and buttons bring many.
  let colours = 0;
  for (const deadline = Date.now() + 20000; Date.now() < deadline; await sleep(250)) {
    colours = screenColours({ x: 0, y: 60, width: 800, height: 340 });
    if (colours > 20) break;
  }
  assert.ok(colours > 20, `the page on screen has only ${colours} colours after 20 s`);
  const text = await app.browser.execute(() => document.body.innerText.trim().length);
  assert.ok(text > 40, `the page shows only ${text} characters of text`);
});

/** Distinct colours in a rectangle of the screen, read from the X server with `xwd`. */
function screenColours({ x, y, width, height }) {
  const xwd = execFileSync('xwd', ['-root', '-silent'], { maxBuffer: 64 << 20 });
  const field = (i) => xwd.readUInt32BE(i * 4);
  const [headerSize, screenWidth, bytesPerLine, colourMapEntries] = [field(0), field(4), field(12), field(19)];
  // A 24-bit screen is stored 4 bytes a pixel; the header's bits-per-pixel says 24.
  const bytesPerPixel = bytesPerLine / screenWidth;
  if (![3, 4].includes(bytesPerPixel)) throw new Error(`xwd gave ${bytesPerPixel} bytes a pixel`);
  const pixels = headerSize + colourMapEntries * 12;
  const colours = new Set();
  for (let row = y; row < y + height; row++) {
    for (let col = x; col < x + width; col++) {
      colours.add(xwd.readUIntBE(pixels + row * bytesPerLine + col * bytesPerPixel, bytesPerPixel));
    }
  }
  return colours.size;
}
