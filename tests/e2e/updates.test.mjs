// Updates: the check at start finds a newer signed release on a local release server, installs
// only when asked, refuses a download whose signature does not match, and the start-up check can
// be turned off. Keys are throwaway, made for this run.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP, ROOT, appHome, byTestId, screenshot, startApp } from './harness.mjs';
import { appSteps, click } from './steps.mjs';

const dir = mkdtempSync(join(tmpdir(), 'hcd-update-'));
const tauri = (...args) => execFileSync('npx', ['tauri', 'signer', ...args], { cwd: ROOT, stdio: 'pipe', timeout: 60000 });
let server;
let requests = 0;
/** Paths the release server was asked for, in order. */
const served = [];
let signature = '';
let app;
let b;
const home = appHome();
// Each step launches the app as it needs; after a crash the next step starts on a new one.
const { test } = appSteps({ launch: () => launch(), app: () => app });

before(async () => {
  tauri('generate', '--ci', '-p', '', '-w', join(dir, 'key'), '-f');
  // Not a real package: were it ever installed, the format check would refuse it.
  writeFileSync(join(dir, 'update.tar.gz'), 'not a real package');
  writeFileSync(join(dir, 'other.tar.gz'), 'a different file');
  for (const file of ['update.tar.gz', 'other.tar.gz']) tauri('sign', '-f', join(dir, 'key'), '-p', '', join(dir, file));
  signature = readFileSync(join(dir, 'update.tar.gz.sig'), 'utf8');
  server = createServer((req, res) => {
    requests++;
    served.push(req.url);
    const base = `http://127.0.0.1:${server.address().port}`;
    if (req.url === '/latest.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({
        version: '99.0.0',
        notes: 'Everything is faster.',
        pub_date: '2026-12-01T10:00:00Z',
        platforms: { 'linux-x86_64': { url: `${base}/update.tar.gz`, signature } },
      }));
    } else if (req.url === '/update.tar.gz') {
      res.end(readFileSync(join(dir, 'update.tar.gz')));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
});

after(async () => {
  await app?.stop();
  server?.close();
});

const launch = async () => {
  app = await startApp({
    home,
    env: {
      HCD_UPDATE_ENDPOINT: `http://127.0.0.1:${server.address().port}/latest.json`,
      HCD_UPDATE_PUBKEY: readFileSync(join(dir, 'key.pub'), 'utf8').trim(),
    },
  });
  b = app.browser;
};

test('at start a newer release is offered, with its notes, and nothing is installed unasked', async () => {
  await launch();
  const banner = await byTestId(b, 'update-banner', 30000);
  assert.match(await banner.getText(), /Hasura Cloud Desktop 99\.0\.0 is available \(you have 0\.\d+\.\d+\)/);
  await screenshot(b, 'update-available');
  await click(b, 'update-details');
  assert.match(await (await byTestId(b, 'update-notes')).getText(), /Everything is faster\./);
  assert.ok(served.includes('/latest.json'));
  assert.ok(!served.includes('/update.tar.gz'), 'the download started before anyone asked');
});

test('a download whose signature does not match the key is refused', async () => {
  signature = readFileSync(join(dir, 'other.tar.gz.sig'), 'utf8');
  const before = statSync(APP).mtimeMs;
  await click(b, 'update-check');
  await byTestId(b, 'update-available');
  await click(b, 'update-install');
  const error = await byTestId(b, 'update-error', 30000);
  assert.match(await error.getText(), /not signed with Hasura Cloud Desktop's release key, so it was not installed/);
  assert.equal(statSync(APP).mtimeMs, before);
  signature = readFileSync(join(dir, 'update.tar.gz.sig'), 'utf8');
});

test('turning the start-up check off is remembered: the next start asks nothing', async () => {
  const box = await byTestId(b, 'update-at-start');
  assert.equal(await box.isSelected(), true);
  await box.click();
  await b.waitUntil(async () => !(await box.isSelected()), { timeout: 5000 });
  await app.stop();
  const seen = requests;
  await launch();
  await byTestId(b, 'welcome-screen', 30000);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(requests, seen, 'the app asked the release server although the check is off');
});

