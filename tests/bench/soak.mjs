// Soak (part of tests/bench/desktop.mjs): the real app, driven through WebDriver against the
// simulator at the sandbox's speed, goes round every screen for a bounded time — the project
// list, a project's overview, env and collaborators tabs, the fleet panel, the create form, look
// up, preview apps with a timeline opened, activity, the Go to palette, About, Report a problem,
// the profiles — opening and closing dialogs, applying env changes and following preview runs.
// The PSS and RSS of the app's process tree (app, WebKit's web and network processes) are taken
// at the start, after every round, and at the end; what matters is the growth after the warm-up.
import { appProcessOf, byTestId, saveFailure, startApp, startSim, textOf } from '../e2e/harness.mjs';
import { click, rows, signInToDemo, type } from '../e2e/steps.mjs';
import { memoryOf } from './proc.mjs';

const TOKEN = 'bench-soak-fake-pat-0123456789';
/** The project whose tabs are visited and whose env takes the applies (from the demo account). */
const PROJECT = 'shop-staging';
/** The variable the applies add and remove in turn, so that the env itself does not grow. */
const KEY = 'SOAK_FLIP';
/** Generous: a loaded machine (CI's two cores) must slow the soak down, never fail it. */
const WAIT = 30000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};
const round = (x, d = 1) => (Number.isFinite(x) ? +x.toFixed(d) : null);

/**
 * Runs the soak for `minutes` and returns its figures: PSS/RSS at the start, after the warm-up
 * (the median of the first rounds after it) and at the end (the median of the last rounds), the
 * growth between those two in %, the curve, and the rounds, applies and preview watches done.
 * `quick`: about a minute (CI keeps it from rotting); the full run applies 100 env changes.
 * `idleSeconds`: after the last round, the window is left alone that long, sampled every 10 s.
 */
export async function soak({ appBinary, minutes, quick = false, parts = null, idleSeconds = 0, log = console.log }) {
  if (!(minutes > 0)) throw new Error(`soak: the duration must be a number of minutes above 0, not ${minutes}`);
  const durationMs = minutes * 60_000;
  // The warm-up: every screen's chunk loaded, caches and JIT settled. A fifth of the run, at
  // least one round.
  const warmUpMs = durationMs / 5;
  // Picking parts is for pinning a growth on one of them: then every round applies once and
  // follows a preview run, and the run's targets do not apply.
  const isolating = parts != null;
  const applyTarget = isolating ? 0 : quick ? 4 : 100;
  const watchTarget = quick ? 1 : 5;
  // Sandbox speed: jobs 10× faster, and a project restarts at once after an env change.
  const sim = await startSim(['--token', TOKEN, '--seed-demo', '--seed-projects', '200', '--speed', '10', '--provisioning-secs', '1', '--restart-secs', '0']);
  let app;
  let b;
  let step = 'starting the app';
  try {
    app = await startApp({ binary: appBinary });
    b = app.browser;
    step = 'signing in';
    await signInToDemo(b, { name: 'Soak', endpoint: sim.url, token: TOKEN });
    const pid = appProcessOf(app);
    if (!pid) throw new Error('the app process was not found under WebKitWebDriver');
    const tenant = (await sim.graphql(TOKEN, 'query($n: String!) { projects(where: {name: {_eq: $n}}) { tenant { id } } }', { n: PROJECT })).projects[0].tenant.id;
    const keyApplied = async () => {
      const { getTenantEnv } = await sim.graphql(TOKEN, 'query($t: uuid!) { getTenantEnv(tenantId: $t) { envVars } }', { t: tenant });
      const vars = getTenantEnv.envVars.environment ?? getTenantEnv.envVars;
      return KEY in vars;
    };

    const t0 = Date.now();
    const elapsed = () => Date.now() - t0;
    const counts = { rounds: 0, applies: 0, watches: 0, dialogs: 0, screens: 0 };
    const curve = [];
    const sample = async (label) => {
      // Let the round's last frame and the tasks it started finish; memory is read, not awaited.
      // With it, what a leak in the page would pile up: DOM nodes, and the callbacks Tauri keeps
      // for event listeners and channels (those of answered commands are dropped).
      const page = await b.executeAsync((done) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() =>
            setTimeout(() => done({ nodes: document.getElementsByTagName('*').length, callbacks: window.__TAURI_INTERNALS__?.callbacks?.size ?? null }), 0),
          ),
        ),
      );
      const m = memoryOf(pid);
      const web = m.processes.filter((p) => p.comm.startsWith('WebKitWebProces'));
      const point = {
        label,
        t_s: round(elapsed() / 1000, 0),
        rounds: counts.rounds,
        applies: counts.applies,
        pss_mib: round(m.pss_mib),
        rss_mib: round(m.rss_mib),
        uss_mib: round(m.uss_mib),
        // Heaps, JIT and graphics buffers: where a leak shows, and unmoved by other programs
        // mapping the same libraries (which moves PSS and USS on a busy machine).
        anon_mib: round(m.processes.reduce((a, p) => a + p.pss_anon_mib, 0)),
        web_pss_anon_mib: round(web.reduce((a, p) => a + p.pss_anon_mib, 0)),
        app_pss_mib: round(m.processes[0]?.pss_mib),
        dom_nodes: page.nodes,
        ipc_callbacks: page.callbacks,
      };
      curve.push(point);
      return point;
    };

    const gone = (testid) =>
      b.waitUntil(async () => !(await b.execute((sel) => Boolean(document.querySelector(sel)), `[data-testid="${testid}"]`)), {
        timeout: WAIT,
        timeoutMsg: `${testid} did not close`,
      });
    const screen = async (nav, testid) => {
      await click(b, nav, WAIT);
      await byTestId(b, testid, WAIT);
      counts.screens += 1;
    };
    /** Opens a dialog from the Go to palette by typing part of its command, then closes it. */
    const paletteDialog = async (query, label, testid, ready, close) => {
      await openPalette();
      await b.keys(query.split(''));
      await b.waitUntil(async () => (await b.execute(() => document.querySelector('[data-testid="palette-option"] .label')?.textContent)) === label, {
        timeout: WAIT,
        timeoutMsg: `${label} is not the palette's first match`,
      });
      await b.keys('Enter');
      await gone('palette');
      await byTestId(b, testid, WAIT);
      await byTestId(b, ready, WAIT);
      await click(b, close, WAIT);
      await gone(testid);
      counts.dialogs += 1;
    };
    /** Opens something with a button, waits for it, closes it with another (or the same). */
    const openAndClose = async (open, shown, close) => {
      await click(b, open, WAIT);
      await byTestId(b, shown, WAIT);
      await click(b, close, WAIT);
      await gone(shown);
    };
    const openPalette = async () => {
      await b.keys(['Control', 'k']);
      await byTestId(b, 'palette', WAIT);
      await b.waitUntil(() => b.execute(() => document.activeElement?.getAttribute('data-testid') === 'palette-input'), {
        timeout: WAIT,
        timeoutMsg: 'the palette input did not get the focus',
      });
    };

    // The round's parts, in order. `parts` picks some of them (BENCH_SOAK_PARTS), so that a growth
    // can be pinned on one screen; `webdriver` is the control: the harness's own polling alone.
    const PARTS = {
      list: async () => {
        step = 'the project list, searched';
        await screen('nav-projects', 'project-list');
        await type(b, 'project-search', 'bench-1');
        await b.waitUntil(async () => (await rows(b)).every((r) => r.includes('bench-1')), { timeout: WAIT, timeoutMsg: 'the list was not filtered' });
        await type(b, 'project-search', '');
        await b.waitUntil(async () => (await rows(b)).length >= 5, { timeout: WAIT, timeoutMsg: 'the list did not come back' });
      },
      fleet: async () => {
        step = 'the fleet panel';
        await openAndClose('fleet-open', 'fleet-screen', 'fleet-open');
      },
      tabs: async () => {
        step = "a project's tabs";
        await type(b, 'project-search', PROJECT);
        await b.waitUntil(async () => (await rows(b)).length === 1, { timeout: WAIT, timeoutMsg: `${PROJECT} not found by the search` });
        await click(b, 'project-row', WAIT);
        await byTestId(b, 'detail-name', WAIT);
        await click(b, 'detail-tab-collaborators', WAIT);
        await byTestId(b, 'collaborators', WAIT);
        await click(b, 'detail-tab-overview', WAIT);
        await byTestId(b, 'detail-fields', WAIT);
        await click(b, 'detail-tab-env', WAIT);
        await byTestId(b, 'env-list', WAIT);
        counts.screens += 4;
      },
      applies: async () => {
        // Env applies: on schedule for the run's target (several per round when rounds are slow).
        const due = isolating ? counts.applies + 1 : Math.min(applyTarget, Math.ceil((applyTarget * (elapsed() + 1)) / durationMs));
        while (counts.applies < due) {
          step = `env apply ${counts.applies + 1}`;
          const present = await keyApplied();
          if (present) {
            const row = await b.$(`[data-testid="env-row"][data-key="${KEY}"]`);
            await row.waitForDisplayed({ timeout: WAIT, timeoutMsg: `no env row ${KEY}` });
            await (await row.$('[data-testid="env-delete"]')).click();
          } else {
            await type(b, 'env-add-key', KEY);
            await type(b, 'env-add-value', `round-${counts.rounds}`);
            await click(b, 'env-add-submit', WAIT);
          }
          await byTestId(b, 'env-staged-bar', WAIT);
          await click(b, 'env-review-button', WAIT);
          await byTestId(b, 'env-review', WAIT);
          await click(b, 'env-review-apply', WAIT);
          await b.waitUntil(async () => (await keyApplied()) !== present, { timeout: WAIT, timeoutMsg: 'the change did not reach the simulator' });
          await b.waitUntil(async () => /^Applied/.test(await textOf(b, 'env-notice')) && !(await textOf(b, 'env-staged-count')), {
            timeout: WAIT,
            timeoutMsg: 'the window did not show the change applied',
          });
          counts.applies += 1;
        }
      },
      create: async () => {
        step = 'the create form';
        await screen('nav-create', 'create-project-form');
        await click(b, 'create-cancel', WAIT);
        await byTestId(b, 'projects-screen', WAIT);
      },
      lookup: async () => {
        step = 'look up';
        await screen('nav-lookup', 'lookup-screen');
      },
      previews: async () => {
        step = 'preview apps';
        await screen('nav-previews', 'previews-screen');
        if (isolating || counts.watches < watchTarget) {
          step = 'a preview run followed';
          const watch = await b.$('[data-testid="pw-app-watch"]');
          await watch.waitForDisplayed({ timeout: WAIT, timeoutMsg: 'no preview app to follow' });
          await watch.click();
          await byTestId(b, 'preview-timeline', WAIT);
          await byTestId(b, 'pw-phase', WAIT);
          // Followed runs are kept until dismissed: dismiss it once it is over, as a person would.
          await click(b, 'pw-dismiss', WAIT * 4);
          await b.waitUntil(async () => !(await (await b.$('[data-testid="pw-phase"]')).isExisting()), { timeout: WAIT, timeoutMsg: 'the run was not dismissed' });
          counts.watches += 1;
        }
      },
      activity: async () => {
        step = 'activity';
        await screen('nav-activity', 'activity-screen');
        await b.waitUntil(() => b.execute(() => Boolean(document.querySelector('[data-testid="activity-list"], [data-testid="activity-empty"]'))), {
          timeout: WAIT,
          timeoutMsg: 'the activity was not listed',
        });
      },
      palette: async () => {
        step = 'the palette, closed with Escape';
        await openPalette();
        await b.keys('Escape');
        await gone('palette');
      },
      about: async () => {
        step = 'About';
        await paletteDialog('about', 'About Hasura Cloud Desktop', 'about-dialog', 'about-version', 'about-close');
      },
      report: async () => {
        step = 'Report a problem';
        await paletteDialog('report', 'Report a problem…', 'report-problem-dialog', 'problem-report-text', 'problem-report-close');
      },
      profiles: async () => {
        step = 'the profiles';
        await openAndClose('profile-switcher-button', 'profile-switcher', 'profile-switcher-close');
        counts.dialogs += 1;
      },
      webdriver: async () => {
        step = 'polling the page through WebDriver';
        for (let i = 0; i < 100; i += 1) await textOf(b, 'nav-projects');
      },
    };
    const chosen = parts ?? Object.keys(PARTS).filter((p) => p !== 'webdriver');
    const unknown = chosen.filter((p) => !(p in PARTS));
    if (unknown.length) throw new Error(`unknown soak parts: ${unknown.join(', ')} (known: ${Object.keys(PARTS).join(', ')})`);
    // The applies happen on the env tab the project's tabs end on.
    if (chosen.includes('applies') && chosen.indexOf('tabs') !== chosen.indexOf('applies') - 1) throw new Error('the soak part applies must follow tabs');
    const round_ = async () => {
      for (const part of chosen) await PARTS[part]();
      step = 'back to the list';
      await screen('nav-projects', 'project-list');
      await type(b, 'project-search', '');
      await b.waitUntil(async () => (await rows(b)).length >= 5, { timeout: WAIT, timeoutMsg: 'the list did not come back' });
      counts.rounds += 1;
    };

    const start = await sample('start');
    log(`  start: PSS ${start.pss_mib} MiB, RSS ${start.rss_mib}, USS ${start.uss_mib} MiB`);
    let warmRounds = 0;
    while (elapsed() < durationMs || counts.applies < applyTarget) {
      // A full run that cannot make its applies in time still ends (twice its duration at most).
      if (elapsed() > 2 * durationMs) break;
      await round_();
      const point = await sample(elapsed() < warmUpMs ? 'warm-up' : 'soak');
      if (point.label === 'warm-up') warmRounds += 1;
      log(`  ${String(point.t_s).padStart(5)} s, round ${point.rounds}, ${point.applies} applies: PSS ${point.pss_mib} MiB (web process anonymous ${point.web_pss_anon_mib}), RSS ${point.rss_mib}, USS ${point.uss_mib}, anonymous ${point.anon_mib} MiB; ${point.dom_nodes} DOM nodes, ${point.ipc_callbacks} IPC callbacks`);
    }

    // The window left alone after the last round: what the engine gives back by itself (freed
    // memory returned late, a collection on a timer) is not a leak.
    for (let waited = 0; waited < idleSeconds; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const point = await sample('idle');
      log(`  idle ${waited + 10} s: PSS ${point.pss_mib} MiB (web process anonymous ${point.web_pss_anon_mib}), anonymous ${point.anon_mib} MiB`);
    }

    const after = curve.filter((p) => p.label === 'soak');
    // Three rounds on each side, so that one garbage collection more or less does not decide.
    const n = Math.max(1, Math.min(3, Math.floor(after.length / 2)));
    const warmed = after.slice(0, n);
    const last = after.slice(-n);
    const figure = (points, k) => round(median(points.map((p) => p[k])));
    const kinds = ['pss_mib', 'rss_mib', 'uss_mib', 'anon_mib'];
    const warm = Object.fromEntries(kinds.map((k) => [k, figure(warmed, k)]));
    const end = Object.fromEntries(kinds.map((k) => [k, figure(last, k)]));
    const growth = (k) => round((end[k] / warm[k] - 1) * 100, 2);
    return {
      minutes: round(elapsed() / 60000, 2),
      warm_up_minutes: round(warmUpMs / 60000, 2),
      warm_up_rounds: warmRounds,
      ...counts,
      pss_mib: { start: start.pss_mib, after_warm_up: warm.pss_mib, end: end.pss_mib },
      rss_mib: { start: start.rss_mib, after_warm_up: warm.rss_mib, end: end.rss_mib },
      uss_mib: { start: start.uss_mib, after_warm_up: warm.uss_mib, end: end.uss_mib },
      anon_mib: { start: start.anon_mib, after_warm_up: warm.anon_mib, end: end.anon_mib },
      rounds_per_figure: n,
      growth_after_warm_up_pct: { pss: growth('pss_mib'), rss: growth('rss_mib'), uss: growth('uss_mib'), anonymous: growth('anon_mib') },
      curve,
    };
  } catch (error) {
    if (b) await saveFailure(b, `soak ${step}`).catch(() => {});
    throw new Error(`soak: ${step}: ${error.message}`, { cause: error });
  } finally {
    await app?.stop();
    await sim.stop();
  }
}
