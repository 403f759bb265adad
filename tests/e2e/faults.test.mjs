// When the network or the service misbehaves, the window shows progress, a clear error and a way
// to retry, and keeps what the person typed. Faults are injected into the simulator at run time.
import assert from 'node:assert/strict';
import { byTestId, screenshot, startApp } from './harness.mjs';
import { click, demoSession, rows, type } from './steps.mjs';

const TOKEN = 'e2e-fake-pat-faults-0123456789';
let app;
let b;
const { sim, test } = await demoSession({
  token: TOKEN,
  profile: 'Faulty',
  launched: (started) => {
    app = started;
    b = started.browser;
  },
  app: () => app,
});

/** Refresh fails with `rule`; the error is clear; Retry works once the fault is gone. */
async function failThenRetry(rule, expected, shot) {
  await sim.addFault({ ...rule, operation: 'ListProjects' });
  await click(b, 'refresh-projects');
  const error = await byTestId(b, 'projects-error', 30000);
  assert.match(await error.getText(), expected);
  if (shot) await screenshot(b, shot);
  await sim.clearFaults();
  await click(b, 'retry-button');
  await b.waitUntil(async () => !(await (await b.$('[data-testid="projects-error"]')).isExisting()), { timeout: 20000 });
  assert.ok((await rows(b)).length >= 5);
}

test('a slow answer shows progress, then the list', async () => {
  await sim.addFault({ kind: 'latency', ms: 2500, operation: 'ListProjects', times: 1 });
  await click(b, 'refresh-projects');
  const button = await byTestId(b, 'refresh-projects');
  await b.waitUntil(async () => /Refreshing/.test(await button.getText()), { timeout: 2000, timeoutMsg: 'no progress shown' });
  assert.equal(await button.isEnabled(), false);
  await b.waitUntil(async () => (await button.getText()) === 'Refresh', { timeout: 15000 });
  assert.ok((await rows(b)).length >= 5);
});

test('a 502 with an HTML page is a clear error with Retry', async () => {
  await failThenRetry({ kind: 'http_error', status: 502 }, /internal problem \(HTTP 502\)/, 'error-502');
});

test('a dropped connection is a clear error with Retry', async () => {
  await failThenRetry({ kind: 'drop_connection' }, /Could not reach Hasura Cloud/);
});

test('rate limiting says when to try again', async () => {
  await failThenRetry({ kind: 'rate_limited', retry_after_secs: 90 }, /Try again in 90 seconds/);
});

test('a failed create keeps everything typed, and succeeds on a second try', async () => {
  await click(b, 'nav-create');
  const aws = await b.$('[data-testid="create-cloud-gcp"]');
  await aws.waitForExist({ timeout: 15000 });
  await (await aws.parentElement()).click();
  await type(b, 'create-region', 'europe-west1');
  await type(b, 'create-name', 'kept-after-error');
  await click(b, 'create-env-add');
  await type(b, 'create-env-key', 'FEATURE_FLAG');
  await type(b, 'create-env-value', 'on');
  await sim.addFault({ kind: 'http_error', status: 503, operation: 'createTenant', times: 1 });
  const before = (await sim.stats()).projects;
  await click(b, 'create-submit');
  const error = await byTestId(b, 'create-error', 20000);
  assert.match(await error.getText(), /HTTP 503/);
  // A mutation is never retried behind the person's back.
  assert.equal((await sim.stats()).projects, before);
  assert.equal(await (await byTestId(b, 'create-name')).getValue(), 'kept-after-error');
  assert.equal(await (await byTestId(b, 'create-region')).getValue(), 'europe-west1');
  assert.equal(await (await byTestId(b, 'create-env-key')).getValue(), 'FEATURE_FLAG');
  assert.equal(await (await b.$('[data-testid="create-cloud-gcp"]')).isSelected(), true);
  await screenshot(b, 'create-error');
  await click(b, 'create-submit');
  const name = await byTestId(b, 'detail-name', 20000);
  assert.equal(await name.getText(), 'kept-after-error');
  assert.equal((await sim.stats()).projects, before + 1);
});

test('unreachable at start: the list from last time, said to be offline, until the API is back', async () => {
  // Every list fetched is kept: refresh so the one kept has the project made in the step before.
  await click(b, 'nav-projects');
  await click(b, 'refresh-projects');
  await b.waitUntil(
    async () =>
      (await (await b.$('[data-testid="refresh-projects"]')).isEnabled()) &&
      (await rows(b)).some((r) => r.includes('kept-after-error')),
    { timeout: 15000, timeoutMsg: 'the list was not refreshed' },
  );
  const before = (await rows(b)).length;
  await app.stop();
  await sim.addFault({ kind: 'drop_connection', operation: 'ListProjects' });
  app = await startApp({ home: app.home });
  b = app.browser;
  const banner = await byTestId(b, 'projects-offline', 30000);
  assert.match(await banner.getText(), /Offline\. Showing the list as of .+; changes will fail until Hasura Cloud can be reached again\./);
  assert.match(await banner.getText(), /Could not reach Hasura Cloud/);
  assert.equal((await rows(b)).length, before);
  assert.ok((await rows(b)).some((r) => r.includes('kept-after-error')), 'the project made in the step before is listed');
  await screenshot(b, 'projects-offline');
  await sim.clearFaults();
  await click(b, 'projects-offline-retry');
  await b.waitUntil(async () => !(await (await b.$('[data-testid="projects-offline"]')).isExisting()), {
    timeout: 15000,
    timeoutMsg: 'still offline after the API came back',
  });
  assert.equal((await rows(b)).length, before);
});
