// The environment-variable editor in the real window against the simulator: edit and apply with
// the health watch, a conflict made by a second writer mid-edit and resolved, .env import,
// export through the save dialog, compare-and-copy between two projects, undo and snapshots,
// the activity log and the production guard.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byTestId, filesContaining, screenshot, textOf } from './harness.mjs';
import { click, demoSession, paste, rows, type } from './steps.mjs';

const TOKEN = 'e2e-fake-pat-env-0123456789';

/** The simulator's API, as a second writer (a teammate, a CI job) would use it. */
const api = (query, variables) => sim.graphql(TOKEN, query, variables);

async function tenantOf(name) {
  const data = await api('query($n: String!) { projects(where: {name: {_eq: $n}}) { tenant { id } } }', { n: name });
  return data.projects[0].tenant.id;
}

async function envOf(name) {
  const data = await api('query($t: uuid!) { getTenantEnv(tenantId: $t) { hash envVars } }', { t: await tenantOf(name) });
  const vars = data.getTenantEnv.envVars;
  return { hash: data.getTenantEnv.hash, vars: vars.environment ?? vars };
}

async function openEnv(projectName) {
  await click(b, 'nav-projects');
  await type(b, 'project-search', projectName);
  await b.waitUntil(async () => (await rows(b)).length === 1, { timeout: 10000 });
  await click(b, 'project-row');
  await click(b, 'detail-tab-env', 15000);
  await byTestId(b, 'env-list', 15000);
}

async function envRow(key) {
  const row = await b.$(`[data-testid="env-row"][data-key="${key}"]`);
  await row.waitForDisplayed({ timeout: 10000, timeoutMsg: `no env row ${key}` });
  return row;
}

async function stagedCount() {
  return Number((await textOf(b, 'env-staged-count')).match(/\d+/)?.[0] ?? 0);
}

/** Every request the simulator received, as it logs them (one JSON line each). */
const REQUEST_LOG = join(mkdtempSync(join(tmpdir(), 'hcd-env-')), 'requests.jsonl');
function operationsSent() {
  if (!existsSync(REQUEST_LOG)) return [];
  return readFileSync(REQUEST_LOG, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).operationName);
}

let app;
let b;
const { sim, test } = await demoSession({
  token: TOKEN,
  profile: 'Env',
  simArgs: ['--restart-secs', '3', '--log', REQUEST_LOG],
  launched: (started) => {
    app = started;
    b = started.browser;
  },
  app: () => app,
});

test('values are masked until revealed; edits are staged, survive navigation, and apply with a health watch', async () => {
  await openEnv('shop-staging');
  const stripe = await envRow('STRIPE_SECRET_KEY');
  assert.equal(await (await stripe.$('[data-testid="env-row-value"]')).getAttribute('data-masked'), 'true');
  assert.equal((await b.execute(() => document.body.innerText)).includes('sk_test_demo_staging_key'), false);
  assert.ok(await (await stripe.$('[data-testid="env-secret-badge"]')).isExisting());

  // Add, change, delete.
  await type(b, 'env-add-key', 'E2E_ADDED');
  await type(b, 'env-add-value', 'hello');
  await click(b, 'env-add-submit');
  await (await (await envRow('FEATURE_NEW_CHECKOUT')).$('[data-testid="env-edit"]')).click();
  await type(b, 'env-edit-input', 'false');
  await click(b, 'env-edit-save');
  await (await (await envRow('ACTIONS_BASE_URL')).$('[data-testid="env-delete"]')).click();
  await b.waitUntil(async () => (await stagedCount()) === 3, { timeout: 5000, timeoutMsg: 'three staged changes' });
  await screenshot(b, 'env-editor');

  // Navigating away and back keeps the staged edits (they live in Rust, in memory).
  await click(b, 'nav-projects');
  await openEnv('shop-staging');
  assert.equal(await stagedCount(), 3);

  await click(b, 'env-review-button');
  await byTestId(b, 'env-review');
  for (const group of ['added', 'changed', 'removed']) await byTestId(b, `env-review-group-${group}`);
  await screenshot(b, 'env-review');
  const before = operationsSent().length;
  await click(b, 'env-review-apply-watch');
  await byTestId(b, 'env-health-phase', 15000);
  await b.waitUntil(async () => (await textOf(b, 'env-health-phase')) === 'Healthy', {
    timeout: 40000,
    timeoutMsg: 'the project did not come back healthy',
  });
  await screenshot(b, 'env-health');
  const { vars } = await envOf('shop-staging');
  assert.equal(vars.E2E_ADDED, 'hello');
  assert.equal(vars.FEATURE_NEW_CHECKOUT, 'false');
  assert.equal('ACTIONS_BASE_URL' in vars, false);
  // One update and one delete (plus reads, and the watch's reads of the workers); never one
  // request per edit.
  const writes = operationsSent()
    .slice(before)
    .filter((name) => name === 'UpdateTenantEnv' || name === 'DeleteTenantEnv');
  assert.deepEqual(writes, ['UpdateTenantEnv', 'DeleteTenantEnv']);
});

test('undo the apply: the values from before are staged for review, and applying them puts them back', async () => {
  const before = (await envOf('shop-staging')).vars;
  await click(b, 'env-undo-apply');
  await b.waitUntil(async () => (await stagedCount()) === 3, { timeout: 5000, timeoutMsg: 'the undo was not staged' });
  // Staged only: Hasura Cloud still has the applied values.
  assert.deepEqual((await envOf('shop-staging')).vars, before);
  await click(b, 'env-review-button');
  await byTestId(b, 'env-review');
  await click(b, 'env-review-apply');
  await b.waitUntil(async () => /^Applied 3 changes/.test(await textOf(b, 'env-notice')), {
    timeout: 15000,
    timeoutMsg: 'the undo was not applied',
  });
  const { vars } = await envOf('shop-staging');
  assert.equal('E2E_ADDED' in vars, false);
  assert.equal(vars.FEATURE_NEW_CHECKOUT, 'true');
  assert.equal(vars.ACTIONS_BASE_URL, 'https://actions.staging.example.com');
});

test('snapshots: the values from before each apply come back as staged edits, and nothing is sent', async () => {
  const before = await envOf('shop-staging');
  await click(b, 'env-snapshots-button');
  await byTestId(b, 'env-snapshots');
  const ids = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="env-snapshot"]')].map((e) => e.getAttribute('data-id')),
  );
  assert.deepEqual(ids, ['2', '1'], 'one snapshot per apply, newest first');
  await screenshot(b, 'env-snapshots');
  // Before the undo: the first apply's three changes are staged again.
  await (await b.$('[data-testid="env-snapshot"][data-id="2"] [data-testid="env-snapshot-restore"]')).click();
  await b.waitUntil(async () => (await stagedCount()) === 3, { timeout: 5000, timeoutMsg: 'the snapshot was not staged' });
  assert.equal(await (await envRow('E2E_ADDED')).getAttribute('data-state'), 'added');
  assert.equal(await (await envRow('ACTIONS_BASE_URL')).getAttribute('data-state'), 'removed');
  assert.deepEqual(await envOf('shop-staging'), before, 'restoring sends nothing');
  // Before the first apply: the project has those values again, so the staged edits give way to none.
  await click(b, 'env-snapshots-button');
  await byTestId(b, 'env-snapshots-replaces');
  await (await b.$('[data-testid="env-snapshot"][data-id="1"] [data-testid="env-snapshot-restore"]')).click();
  await b.waitUntil(async () => /already has the values/.test(await textOf(b, 'env-notice')), {
    timeout: 5000,
    timeoutMsg: 'restoring the first snapshot did not say there was nothing to stage',
  });
  assert.equal(await (await b.$('[data-testid="env-staged-bar"]')).isExisting(), false);
  assert.deepEqual(await envOf('shop-staging'), before);
});

test('a second writer mid-edit: their change is shown beside mine, and nothing of theirs is lost', async () => {
  await openEnv('shop-staging');
  await (await (await envRow('HASURA_GRAPHQL_CORS_DOMAIN')).$('[data-testid="env-edit"]')).click();
  await type(b, 'env-edit-input', 'https://mine.example.com');
  await click(b, 'env-edit-save');
  await b.waitUntil(async () => (await stagedCount()) === 1, { timeout: 5000 });

  // Meanwhile a teammate changes the same key and adds another.
  const { hash } = await envOf('shop-staging');
  await api(
    'mutation($t: uuid!, $h: String!, $e: [UpdateEnvObject!]!) { updateTenantEnv(tenantId: $t, currentHash: $h, envs: $e) { hash } }',
    {
      t: await tenantOf('shop-staging'),
      h: hash,
      e: [
        { key: 'HASURA_GRAPHQL_CORS_DOMAIN', value: 'https://theirs.example.com' },
        { key: 'TEAMMATE_ADDED', value: 'keep me' },
      ],
    },
  );

  await click(b, 'env-review-button');
  await click(b, 'env-review-apply');
  const conflict = await b.$('[data-testid="env-conflict"][data-key="HASURA_GRAPHQL_CORS_DOMAIN"]');
  await conflict.waitForDisplayed({ timeout: 15000, timeoutMsg: 'no conflict shown' });
  await screenshot(b, 'env-conflicts');
  assert.equal(await (await byTestId(b, 'env-conflict-resolve')).isEnabled(), false);
  await (await conflict.$('[data-testid="env-conflict-choice-mine"]')).click();
  await click(b, 'env-conflict-resolve');
  await click(b, 'env-review-apply', 15000);
  await b.waitUntil(async () => (await envOf('shop-staging')).vars.HASURA_GRAPHQL_CORS_DOMAIN === 'https://mine.example.com', {
    timeout: 15000,
    timeoutMsg: 'my resolved value was not applied',
  });
  assert.equal((await envOf('shop-staging')).vars.TEAMMATE_ADDED, 'keep me');
});

test('import a .env: per-line errors first, then a preview, then staged', async () => {
  await openEnv('mobile-backend');
  await click(b, 'env-import-button');
  await paste(b, 'env-import-text', 'IMPORTED_A=1\nexport IMPORTED_B="two words"\n# a comment\nthis line is wrong\n');
  await click(b, 'env-import-preview-button');
  const lineError = await byTestId(b, 'env-import-line-error', 10000);
  assert.equal(await lineError.getAttribute('data-line'), '4');
  assert.equal(await (await byTestId(b, 'env-import-stage')).isEnabled(), false);
  await paste(b, 'env-import-text', 'IMPORTED_A=1\nexport IMPORTED_B="two words"\n# a comment\nJWT_AUDIENCE=web-app\n');
  await click(b, 'env-import-preview-button');
  const added = await byTestId(b, 'env-import-added', 10000);
  assert.match(await added.getText(), /IMPORTED_A/);
  assert.match(await (await byTestId(b, 'env-import-overwritten')).getText(), /JWT_AUDIENCE/);
  await screenshot(b, 'env-import');
  await click(b, 'env-import-stage');
  await b.waitUntil(async () => (await stagedCount()) === 3, { timeout: 10000, timeoutMsg: 'import not staged' });
  await click(b, 'env-review-button');
  await click(b, 'env-review-apply');
  await b.waitUntil(async () => (await envOf('mobile-backend')).vars.IMPORTED_B === 'two words', { timeout: 15000 });
});

test('export to a .env file through the save dialog, after a warning', async () => {
  await openEnv('mobile-backend');
  await click(b, 'env-export-button');
  assert.match(await (await byTestId(b, 'env-export-warning')).getText(), /secret/i);
  const folder = mkdtempSync(join(tmpdir(), 'hcd-export-'));
  const target = join(folder, 'mobile.env');
  await click(b, 'env-export-confirm');
  // The native GTK save dialog (no window manager under Xvfb, so focus it by hand): type a full
  // path into its name field and press Enter.
  const dialog = execFileSync('xdotool', ['search', '--sync', '--onlyvisible', '--name', 'Save'], { timeout: 15000 })
    .toString()
    .trim()
    .split('\n')
    .pop();
  execFileSync('xdotool', ['windowfocus', '--sync', dialog]);
  await new Promise((r) => setTimeout(r, 500));
  execFileSync('xdotool', ['key', '--clearmodifiers', 'ctrl+a']);
  execFileSync('xdotool', ['type', '--delay', '20', target]);
  execFileSync('xdotool', ['key', 'Return']);
  const result = await byTestId(b, 'env-export-result', 15000);
  assert.match(await result.getText(), /mobile\.env/);
  assert.ok(existsSync(target));
  const text = readFileSync(target, 'utf8');
  assert.match(text, /IMPORTED_B="two words"/);
  assert.match(text, /JWT_AUDIENCE="web-app"/);
});

test('compare two projects by fingerprint, then copy chosen keys across as staged changes', async () => {
  await openEnv('shop-staging');
  await click(b, 'env-compare-button');
  const target = await byTestId(b, 'env-compare-target');
  await target.selectByVisibleText('shop-production');
  await byTestId(b, 'env-compare-list', 15000);
  const compare = await byTestId(b, 'env-compare');
  const shown = await compare.getText();
  for (const secret of ['sk_test_demo_staging_key', 'sk_test_demo_not_a_real_key', 'staging-password']) {
    assert.equal(shown.includes(secret), false, `a value is shown: ${secret}`);
  }
  const onlyHere = await b.$('[data-testid="env-compare-row"][data-key="FEATURE_NEW_CHECKOUT"]');
  assert.equal(await onlyHere.getAttribute('data-status'), 'onlyLeft');
  const differs = await b.$('[data-testid="env-compare-row"][data-key="STRIPE_SECRET_KEY"]');
  assert.equal(await differs.getAttribute('data-status'), 'different');
  await screenshot(b, 'env-compare');
  await (await onlyHere.$('[data-testid="env-compare-check"]')).click();
  await click(b, 'env-compare-copy');
  // The target project's editor opens with the copied key staged, not yet applied.
  const copied = await envRow('FEATURE_NEW_CHECKOUT');
  assert.equal(await copied.getAttribute('data-state'), 'added');
  assert.equal('FEATURE_NEW_CHECKOUT' in (await envOf('shop-production')).vars, false);
});

test('the activity log lists each apply by key, with fingerprints, and no value reaches it or any file', async () => {
  await click(b, 'nav-activity');
  await byTestId(b, 'activity-list');
  const entries = await b.execute(() =>
    [...document.querySelectorAll('[data-testid="activity-entry"]')].map((e) => ({
      kind: e.getAttribute('data-kind'),
      project: e.querySelector('[data-testid="activity-project"]')?.textContent,
      summary: e.querySelector('[data-testid="activity-summary"]')?.textContent,
    })),
  );
  const first = entries.find((e) => e.summary?.includes('+E2E_ADDED'));
  assert.ok(first, `no entry for the first apply: ${JSON.stringify(entries)}`);
  assert.equal(first.kind, 'envApplied');
  assert.equal(first.project, 'shop-staging');
  assert.match(first.summary, /Applied 3 env changes: −ACTIONS_BASE_URL, \+E2E_ADDED, ~FEATURE_NEW_CHECKOUT/);
  // The undo came later, so it is listed above.
  assert.ok(entries.findIndex((e) => e.summary?.includes('−E2E_ADDED')) < entries.indexOf(first));
  await (await b.$('[data-testid="activity-keys"] summary')).click();
  await screenshot(b, 'activity');
  const shown = await textOf(b, 'activity-list');
  for (const value of ['https://actions.staging.example.com', 'https://mine.example.com', 'sk_test_demo_staging_key']) {
    assert.equal(shown.includes(value), false, `a value is shown: ${value}`);
    assert.deepEqual(filesContaining(app.home, value), [], `a value is in the app's files: ${value}`);
  }
  assert.ok(filesContaining(app.home, 'E2E_ADDED').some((f) => f.endsWith('activity.jsonl')), 'no activity file');
});

test('a project marked as production asks for its name before its env changes are applied', async () => {
  await openEnv('shop-production');
  await click(b, 'detail-tab-overview');
  await click(b, 'production-toggle');
  await byTestId(b, 'detail-production-badge');
  await click(b, 'detail-tab-env');
  // The key copied from staging in the step before is still staged here.
  await b.waitUntil(async () => (await stagedCount()) === 1, { timeout: 5000, timeoutMsg: 'the copied key is not staged' });
  await click(b, 'env-review-button');
  await byTestId(b, 'env-review-production');
  assert.equal(await (await byTestId(b, 'env-review-apply')).isEnabled(), false);
  await type(b, 'env-review-confirm-input', 'shop-production');
  await screenshot(b, 'env-production-guard');
  await click(b, 'env-review-apply');
  await b.waitUntil(async () => /^Applied 1 change/.test(await textOf(b, 'env-notice')), {
    timeout: 15000,
    timeoutMsg: 'the change was not applied',
  });
  assert.equal((await envOf('shop-production')).vars.FEATURE_NEW_CHECKOUT, 'true');
  // The mark is remembered in the profile's settings.
  const settings = filesContaining(app.home, 'productionProjects').find((f) => f.endsWith('settings.json'));
  assert.ok(settings, 'no settings file with the mark');
  assert.match(readFileSync(settings, 'utf8'), /"productionProjects":\s*\[\s*"[0-9a-f-]{36}"\s*\]/);
});
