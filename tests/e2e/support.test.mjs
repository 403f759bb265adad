// What a person sends to whoever helps them: the app's log (one file a day in the OS's log folder)
// and Help → Report a Problem. An error made by a fault injected into the simulator is in both,
// and the token in neither.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { appDataDir, byTestId, filesContaining, screenshot, textOf } from './harness.mjs';
import { click, demoSession } from './steps.mjs';

// Recognizable and obviously fake: looked for in the log, the report and every file of the app.
const TOKEN = 'e2e-fake-pat-SUPPORTLEAK-0123456789abcdef';
const LOG_NAME = /^hasura-cloud-desktop\.\d{4}-\d{2}-\d{2}\.log$/;

let app;
let b;
const { sim, test } = await demoSession({
  token: TOKEN,
  profile: 'Acme Ops',
  launched: (started) => {
    app = started;
    b = started.browser;
  },
  app: () => app,
});

// Tauri's app_log_dir on Linux is the app's data directory's `logs`.
const logDir = () => join(appDataDir(app.home), 'logs');

function logFiles() {
  return existsSync(logDir()) ? readdirSync(logDir()).sort() : [];
}

function logText() {
  return logFiles()
    .map((name) => readFileSync(join(logDir(), name), 'utf8'))
    .join('');
}

async function waitForLog(pattern, what) {
  await b.waitUntil(async () => pattern.test(logText()), { timeout: 15000, timeoutMsg: `${what}; the log holds:\n${logText()}` });
}

test("the day's log file is in the OS's log folder and says the start and each request", async () => {
  await waitForLog(/Hasura Cloud Desktop started version="\d+\.\d+\.\d+"/, 'the start was not logged');
  await waitForLog(/operation="ListProjects" status=200 ms=\d+/, 'the project list request was not logged');
  await waitForLog(/signed in kind=Cloud/, 'the sign-in (with the profile kind) was not logged');
  const files = logFiles();
  assert.equal(files.length, 1, `one file a day: ${files}`);
  assert.match(files[0], LOG_NAME);
  assert.match(logText(), /webview="WebKitGTK \d+\.\d+/);
  // Said after the start, when running its commands no longer competes with the first screen.
  await waitForLog(/Running on os=".+ \((x86_64|aarch64)\)"/, 'the OS was not logged');
});

test('an error made by an injected fault is logged with its kind, without the token', async () => {
  await sim.addFault({ kind: 'server_error', operation: 'ListProjects' });
  await click(b, 'refresh-projects');
  const error = await byTestId(b, 'projects-error', 30000);
  assert.match(await error.getText(), /Hasura Cloud had an internal problem/);
  await sim.clearFaults();
  // The request as the client saw it, and the error as the window showed it.
  await waitForLog(/WARN hasura_cloud::transport: request failed operation="ListProjects" status=200 ms=\d+ kind=Server code="GenericServerError"/, 'the failed request was not logged');
  await waitForLog(/WARN app_core::diagnostics: error shown: Hasura Cloud had an internal problem.* kind="server"/, 'the error shown was not logged');
  assert.equal(logText().includes(TOKEN), false, 'the token is in the log');
});

test('Report a Problem shows versions, the OS, the error shown and the log, without the token', async () => {
  await b.keys(['Control', 'k']);
  await byTestId(b, 'palette');
  await b.keys('report'.split(''));
  const firstMatch = () => b.execute(() => document.querySelector('[data-testid="palette-option"] .label')?.textContent);
  await b.waitUntil(async () => (await firstMatch()) === 'Report a problem…', { timeout: 5000, timeoutMsg: 'Report a problem is not offered' });
  await b.keys('Enter');
  await byTestId(b, 'report-problem-dialog');
  // The dialog opens at once and gathers the report after: its text comes when it is ready.
  await byTestId(b, 'problem-report-text', 15000);
  const report = await textOf(b, 'problem-report-text');
  assert.match(report, /^Hasura Cloud Desktop problem report\n/);
  assert.match(report, /\nApp version: \d+\.\d+\.\d+\n/);
  assert.match(report, /\nCommit: [0-9a-f]{7,}\n/);
  assert.match(report, /\nOS: .+ \((x86_64|aarch64)\)\n/);
  assert.match(report, /\nWebview: WebKitGTK \d+\.\d+/);
  assert.match(report, /\nActive profile: Hasura Cloud account\n/);
  assert.match(report, /\nErrors shown \(\d+, newest last\):\n.* server: Hasura Cloud had an internal problem/);
  assert.match(report, /request failed operation="ListProjects" status=200 ms=\d+ kind=Server/);
  assert.equal(report.includes(TOKEN), false, 'the token is in the report');
  // Neither the profile's name nor the endpoint identifies anything here.
  assert.equal(report.includes('Acme Ops'), false, "the profile's name is in the report");
  await screenshot(b, 'report-problem');
  await click(b, 'problem-report-close');
  await b.waitUntil(async () => !(await (await b.$('[data-testid="report-problem-dialog"]')).isExisting()), { timeout: 5000 });
  // The log is among the app's files, and no file of the app holds the token.
  assert.ok(filesContaining(app.home, 'request failed').some((f) => LOG_NAME.test(f.split('/').pop())));
  assert.deepEqual(filesContaining(app.home, TOKEN), [], 'the token is in a file of the app');
});
