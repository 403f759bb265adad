// The harness itself: a web process that dies in the middle of a step fails that step with
// "the web process crashed" and what was printed about it, and the file's next step runs on the
// app launched again, instead of every later step failing with "invalid session id".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('a crash fails its own step, and the next step runs on a relaunched app', () => {
  const fixture = join(import.meta.dirname, 'fixtures/crash-mid-step.mjs');
  // Without the runner's own marker, which would make the child report to it instead of printing.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', '--test-timeout=120000', '--test-force-exit', fixture], {
    encoding: 'utf8',
    timeout: 200000,
    env,
  });
  const out = `${run.stdout}\n${run.stderr}`;
  assert.match(out, /not ok 1 - the web process dies in the middle of this step/, out);
  assert.match(out, /The web process crashed during this step; the app is launched again for the next one\./, out);
  assert.match(out, /WebDriver said: .*(session deleted because of page crash|invalid session id)/i, out);
  assert.match(out, /^ok 2 - the next step runs on an app launched again/m, out);
  assert.equal(run.status, 1, 'the file fails, as it should with a failed step');
});
