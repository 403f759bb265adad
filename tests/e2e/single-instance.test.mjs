// One app per data folder: a second launch on the same folder hands over to the running window
// and exits, so two copies never write over each other's settings or trim each other's log.
// Another data folder (another person's, or another test's) runs side by side.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { APP, appEnv, appHome, byTestId, sleep, spawnTracked, startApp, stopProcess, withTimeout } from './harness.mjs';

let first;

before(async () => {
  first = await startApp();
  await byTestId(first.browser, 'welcome-screen');
});

after(async () => {
  await first?.stop();
});

/** Launches the app binary with `home`; resolves with the process and a promise of its exit. */
function launchAgain(home) {
  const logs = [];
  const child = spawnTracked(APP, [], { env: appEnv(home), stdio: ['ignore', 'pipe', 'pipe'] }, 'second app', logs);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, logs };
}

test('a second launch on the same data folder exits and leaves the first window running', async () => {
  const second = launchAgain(first.home);
  const { code, signal } = await withTimeout(second.exited, 30000, 'the second launch exiting');
  assert.equal(signal, null, second.logs.join(''));
  assert.equal(code, 0, second.logs.join(''));
  // The first window still answers.
  await byTestId(first.browser, 'welcome-screen');
});

test('a launch on another data folder runs beside the first', async () => {
  const other = launchAgain(appHome());
  try {
    const ended = await Promise.race([other.exited, sleep(5000).then(() => null)]);
    assert.equal(ended, null, `the launch on another folder ended: ${JSON.stringify(ended)}\n${other.logs.join('')}`);
  } finally {
    await stopProcess(other.child);
  }
  await byTestId(first.browser, 'welcome-screen');
});
