// Benchmark (not a test): what the web process keeps while the page changes by itself — no
// WebDriver command between the changes, so nothing of the harness's is in the figures. The app
// starts against the simulator (the demo account and 200 more projects), signs in, and then one
// script in the page repeats CHURN_MODE until CHURN_MIN minutes (3) are over; the web process's
// anonymous memory is read from /proc every 15 s, and once more after 20 s left alone.
//
//   CHURN_MODE=search (default)   the project search: "bench-1", then empty, a frame each
//   CHURN_MODE=nav-lookup,lookup-screen,nav-activity,activity-screen
//                                 navigation testids and the screen each shows, in turn
//   CHURN_MODE=dom                the control: a copy of the screen on show is put into the
//                                 page and taken out again, a frame each, by plain DOM calls
//                                 (no Svelte, none of the app's code runs), with 160 KiB of
//                                 JavaScript garbage each time so that the collector runs;
//                                 CHURN_SCREEN names the navigation testid to open first;
//                                 CHURN_STRIP, a CSS selector, takes those elements out of the
//                                 copy (to tell which of the screen's elements WebKit keeps)
//   CHURN_MODE=toggle             the same copy put into the page once, hidden, and then shown
//                                 and hidden again (display), a frame each: a screen kept
//                                 mounted rather than made again
//   CHURN_MODE=ipc                one IPC call that does nothing (`resume_after_restart`), then
//                                 a frame, with no change to the page
//
// CHURN_ACTIVITY=N: the app starts with N env applies in its activity log (what a long session's
// applies leave there), so that the activity screen has that many entries to show.
//
// Run under a session (Xvfb, D-Bus): scripts/with-session.sh node tests/bench/churn.mjs
// APP_BINARY picks the build; environment variables reach the web process (e.g. JSC_logGC=1,
// whose lines are written to CHURN_GC_OUT when set).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appDataDir, appHome, appProcessOf, byTestId, startApp, startSim } from '../e2e/harness.mjs';
import { click, signInToDemo } from '../e2e/steps.mjs';
import { memoryOf } from './proc.mjs';

const TOKEN = 'bench-churn-fake-pat-0123456789';
const MINUTES = Number(process.env.CHURN_MIN ?? 3);
const MODE = process.env.CHURN_MODE ?? 'search';
// CHURN_DRIVER=webdriver: a navigation mode's steps are clicked and waited for through WebDriver
// (as the soak does) instead of by the page itself — to tell the harness's share from the page's.
const THROUGH_WEBDRIVER = process.env.CHURN_DRIVER === 'webdriver';
if (THROUGH_WEBDRIVER && ['search', 'dom', 'toggle', 'ipc'].includes(MODE)) {
  throw new Error(`CHURN_DRIVER=webdriver drives navigation modes only (testid pairs), not ${MODE}`);
}
const SAMPLE_MS = 15_000;

const webAnonMib = (pid) => {
  const web = memoryOf(pid).processes.filter((p) => p.comm.startsWith('WebKitWebProces'));
  return +web.reduce((a, p) => a + p.pss_anon_mib, 0).toFixed(1);
};

const sim = await startSim(['--token', TOKEN, '--seed-demo', '--seed-projects', '200', '--speed', '10', '--provisioning-secs', '1', '--restart-secs', '0']);
const home = appHome();
const activityEntries = Number(process.env.CHURN_ACTIVITY ?? 0);
if (activityEntries > 0) {
  // The file the app keeps its activity log in (app data directory, one JSON entry a line).
  const data = appDataDir(home);
  mkdirSync(data, { recursive: true });
  const entry = (i) => ({
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    profileName: 'Churn',
    sandbox: false,
    kind: 'envApplied',
    projectName: 'shop-staging',
    tenantId: null,
    summary: `Applied 1 change to shop-staging (${i})`,
    keys: [{ key: 'SOAK_FLIP', kind: i % 2 ? 'removed' : 'added', before: null, after: 'a1b2c3d4e5f6' }],
  });
  writeFileSync(join(data, 'activity.jsonl'), Array.from({ length: activityEntries }, (_, i) => JSON.stringify(entry(i))).join('\n') + '\n');
}
const app = await startApp({ binary: process.env.APP_BINARY, home });
const b = app.browser;
try {
  await signInToDemo(b, { name: 'Churn', endpoint: sim.url, token: TOKEN });
  const pid = appProcessOf(app);
  if (!pid) throw new Error('the app process was not found under WebKitWebDriver');
  const driven = { changes: 0, stop: false, error: null, done: null };
  if (THROUGH_WEBDRIVER) {
    const steps = MODE.split(',');
    driven.done = (async () => {
      try {
        while (!driven.stop) {
          for (let i = 0; i + 1 < steps.length; i += 2) {
            await click(b, steps[i], 30000);
            await byTestId(b, steps[i + 1], 30000);
            driven.changes += 1;
          }
        }
      } catch (e) {
        driven.error = String(e);
      }
    })();
  }
  // Started and left running: the page changes itself until told to stop.
  if (!THROUGH_WEBDRIVER) await b.execute(async (mode, start, strip) => {
    const churn = (window.__churn = { changes: 0, stop: false, error: null });
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);
    const shown = async (id) => {
      for (let i = 0; i < 300 && !byTestId(id); i++) await sleep(10);
      if (!byTestId(id)) throw new Error(`${id} was not shown`);
    };
    const search = async (text) => {
      const input = byTestId('project-search');
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await frames();
      await sleep(20);
    };
    if (start) {
      byTestId(start).click();
      await sleep(500);
    }
    const screen = document.querySelector('main section, section');
    const once =
      mode === 'search'
        ? async () => {
            await search('bench-1');
            await search('');
            churn.changes += 2;
          }
        : mode === 'ipc'
        ? async () => {
            await window.__TAURI_INTERNALS__.invoke('resume_after_restart');
            await frames();
            churn.changes += 1;
          }
        : mode === 'toggle'
        ? async () => {
            if (!churn.copy) {
              churn.copy = screen.cloneNode(true);
              churn.copy.style.display = 'none';
              screen.parentNode.appendChild(churn.copy);
            }
            churn.copy.style.display = '';
            await frames();
            churn.copy.style.display = 'none';
            churn.garbage = new Array(20_000).fill(churn.changes);
            await frames();
            churn.changes += 2;
          }
        : mode === 'dom'
        ? async () => {
            const copy = screen.cloneNode(true);
            if (strip) for (const element of copy.querySelectorAll(strip)) element.remove();
            screen.parentNode.appendChild(copy);
            await frames();
            copy.remove();
            // Garbage for the collector, so that it runs about as often as while navigating.
            churn.garbage = new Array(20_000).fill(churn.changes);
            await frames();
            churn.changes += 2;
          }
        : async () => {
            const steps = mode.split(',');
            for (let i = 0; i + 1 < steps.length; i += 2) {
              byTestId(steps[i]).click();
              await shown(steps[i + 1]);
              await frames();
              churn.changes += 1;
            }
          };
    (async () => {
      try {
        while (!churn.stop) await once();
      } catch (e) {
        churn.error = String(e);
      }
    })();
  }, MODE, process.env.CHURN_SCREEN ?? '', process.env.CHURN_STRIP ?? '');

  const t0 = Date.now();
  const samples = [];
  while (Date.now() - t0 < MINUTES * 60_000) {
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    const page = THROUGH_WEBDRIVER ? driven : await b.execute(() => ({ changes: window.__churn.changes, error: window.__churn.error }));
    if (page.error) throw new Error(`the page stopped changing: ${page.error}`);
    const sample = { s: Math.round((Date.now() - t0) / 1000), changes: page.changes, web_anon_mib: webAnonMib(pid) };
    samples.push(sample);
    console.log(`${sample.s} s: ${sample.changes} changes, web process anonymous ${sample.web_anon_mib} MiB`);
  }
  let changes;
  if (THROUGH_WEBDRIVER) {
    driven.stop = true;
    await driven.done;
    changes = driven.changes;
  } else {
    changes = await b.execute(() => {
      window.__churn.stop = true;
      return window.__churn.changes;
    });
  }
  await new Promise((r) => setTimeout(r, 20_000));
  const idle = webAnonMib(pid);
  // Per change from the first fifth on, so that the page's first loads are not counted.
  const from = samples.find((x) => x.s >= (MINUTES * 60) / 5) ?? samples[0];
  const perChange = from && changes > from.changes ? ((idle - from.web_anon_mib) / (changes - from.changes)).toFixed(4) : 'n/a';
  console.log(`idle 20 s: web process anonymous ${idle} MiB; ${perChange} MiB a change kept after the first fifth (${MODE})`);
  if (process.env.CHURN_GC_OUT) {
    writeFileSync(process.env.CHURN_GC_OUT, app.logs.join('').split('\n').filter((l) => l.includes('GC')).join('\n'));
  }
} finally {
  await app.stop();
  await sim.stop();
}
