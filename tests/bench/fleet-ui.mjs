// Fleet responsiveness (part of tests/bench/desktop.mjs): does the window stay responsive while
// a fleet change goes over 200 projects? The real app against the simulator, 200 seeded projects,
// each project's update slowed down (a latency fault on updateTenantEnv) so that the run lasts
// several seconds. The run is previewed and started through the app's own IPC from the page (as
// the fleet screen does), the fleet panel is opened (it follows the run, re-rendering on every
// step), and meanwhile keystroke → painted frame is timed in the project search box: the text set
// and `input` fired as a keystroke does, then two animation frames, timed in the page. The same
// measurement is taken again in the same page once the run is over (the panel still open, showing
// its report): the figures are the two medians, their difference and ratio, and how many projects
// the run got through while it was being measured.
import { byTestId, startApp, startSim } from '../e2e/harness.mjs';
import { click, rows, submitSignIn } from '../e2e/steps.mjs';

const TOKEN = 'bench-fleet-fake-pat-0123456789';
const PROJECTS = 200;
/** Added to every project's update: 200 × this is the run's floor. */
const UPDATE_LATENCY_MS = 40;
/** The variable the run sets on every project. */
const KEY = 'FLEET_BENCH';
/** A debug build's update check would go to a closed local port (release builds ignore this). */
const QUIET_ENV = { HCD_UPDATE_ENDPOINT: 'http://127.0.0.1:9/latest.json' };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const round = (x, d = 1) => (Number.isFinite(x) ? +x.toFixed(d) : null);
const summary = (xs) => ({ n: xs.length, median: round(median(xs)), p95: round(quantile(xs, 0.95)), max: round(Math.max(...xs)) });

/**
 * Keystroke → painted frame in the search box `testid`, `runs` times (as desktop.mjs's
 * `filterTimes`). With `whileRunning`, it stops early once the run is over (its report's summary
 * is shown), so that every sample was taken during the run.
 */
function keystrokes(b, testid, queries, runs, whileRunning) {
  return b.executeAsync(
    (testid, queries, runs, whileRunning, done) => {
      const input = document.querySelector(`[data-testid="${testid}"]`);
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const pause = () => new Promise((r) => setTimeout(r, 30));
      const over = () => document.querySelector('[data-testid="fleet-summary"]') !== null;
      (async () => {
        const painted = [];
        for (let i = 0; i < runs; i++) {
          if (whileRunning && over()) break;
          const t0 = performance.now();
          input.value = queries[i % queries.length];
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await frame();
          await frame();
          painted.push(performance.now() - t0);
          await pause();
        }
        input.value = '';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await frame();
        done({ painted });
      })();
    },
    testid,
    queries,
    runs,
    whileRunning,
  );
}

/** The app's own IPC, from the page. */
function invoke(b, command, args) {
  return b.executeAsync(
    (command, args, done) => {
      window.__TAURI_INTERNALS__.invoke(command, args).then(
        (answer) => done({ answer }),
        (error) => done({ error: JSON.stringify(error) }),
      );
    },
    command,
    args,
  ).then((r) => {
    if (r.error) throw new Error(`${command}: ${r.error}`);
    return r.answer;
  });
}

/** Projects of the run that are done (applied, failed… — neither waiting nor being applied). */
const doneOf = (run) => run.rows.filter((r) => r.state !== 'pending' && r.state !== 'applying').length;

/**
 * Runs the measurement and returns its figures. `quick`: fewer keystrokes (the run lasts the
 * same, about 200 × (40 ms + the app's own work per project)).
 */
export async function fleetResponsiveness({ appBinary, quick = false }) {
  const runs = quick ? 30 : 100;
  const sim = await startSim([
    '--token', TOKEN,
    '--seed-projects', String(PROJECTS),
    '--restart-secs', '0',
    '--fault', JSON.stringify({ kind: 'latency', ms: UPDATE_LATENCY_MS, operation: 'updateTenantEnv' }),
  ]);
  let app;
  try {
    app = await startApp({ binary: appBinary, env: QUIET_ENV });
    const b = app.browser;
    await b.setTimeout({ script: 300000 });
    await click(b, 'welcome-sign-in');
    await submitSignIn(b, { name: 'Fleet bench', endpoint: sim.url, token: TOKEN });
    await b.waitUntil(async () => (await rows(b)).length >= 5, { timeout: 60000, timeoutMsg: 'projects not listed' });

    const tenantIds = await invoke(b, 'fleet_select', { rule: { namePattern: 'bench-*' } });
    if (tenantIds.length !== PROJECTS) throw new Error(`fleet_select picked ${tenantIds.length} projects`);
    const preview = await invoke(b, 'fleet_preview', { tenantIds, changes: [{ op: 'set', key: KEY, value: 'on' }] });
    const changing = preview.projects.filter((p) => p.status === 'changes').length;
    const requestsBefore = (await sim.stats()).requests;
    const startedAt = Date.now();
    const run = await invoke(b, 'fleet_start', {
      start: { planId: preview.planId, confirmNames: {}, stopOnFailure: false, watchHealth: false },
    });
    // The fleet panel picks the running change up and follows it.
    await click(b, 'fleet-open');
    await byTestId(b, 'fleet-progress', 30000);

    const queries = ['bench-1', 'bench-12', 'bench-123', 'bench-4', 'bench-19', ''];
    const doneAtStart = doneOf((await invoke(b, 'fleet_runs', {})).find((r) => r.id === run.id));
    const during = (await keystrokes(b, 'project-search', queries, runs, true)).painted;
    const doneAtEnd = doneOf((await invoke(b, 'fleet_runs', {})).find((r) => r.id === run.id));

    await byTestId(b, 'fleet-summary', 300000);
    const runMs = Date.now() - startedAt;
    const requests = (await sim.stats()).requests - requestsBefore;
    const finished = (await invoke(b, 'fleet_runs', {})).find((r) => r.id === run.id);
    const applied = finished.rows.filter((r) => r.state === 'applied').length;

    const idle = (await keystrokes(b, 'project-search', queries, runs, false)).painted;
    const d = summary(during);
    const i = summary(idle);
    const result = {
      projects: PROJECTS,
      changed_projects: changing,
      update_latency_ms: UPDATE_LATENCY_MS,
      run_ms: runMs,
      applied,
      requests_during_run: requests,
      projects_done_while_measured: doneAtEnd - doneAtStart,
      keystroke_to_frame_ms: { during_run: d, no_run: i },
      difference_median_ms: round(d.median - i.median),
      ratio_median: round(d.median / i.median, 2),
    };
    return result;
  } finally {
    await app?.stop();
    await sim.stop();
  }
}
