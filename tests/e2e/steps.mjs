// What a person does in the window, as reusable steps for the end-to-end tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { byTestId, saveFailure, startApp, startSim, withTimeout } from './harness.mjs';
import { after, before, test as nodeTest } from 'node:test';

/**
 * Steps on the app a test file drives. `launch()` starts the app and brings it to where the file's
 * steps begin (signed in, say); `app()` is the app running now. A step that finds the session
 * dead — WebKit's web process crashed and WebKitWebDriver ended the session — fails saying so,
 * with what the kernel log and the app printed; the next step then runs on an app launched again,
 * so one crash does not fail the rest of the file. A step that fails for any other reason just
 * fails: nothing is retried.
 */
export function appSteps({ launch, app }) {
  let lost = false;
  let since = 0;
  const start = async () => {
    since = uptimeSeconds();
    lost = false;
    await launch();
  };
  const test = (name, fn) =>
    nodeTest(name, async () => {
      if (lost) {
        await app()?.stop();
        await start();
      }
      try {
        await fn();
      } catch (error) {
        const gone = await sessionLost(app()?.browser, error);
        if (gone) {
          lost = true;
          throw new Error(
            `The web process crashed during this step; the app is launched again for the next one.\n` +
              `WebDriver said: ${gone}\n${crashEvidence(since, app()?.logs ?? [])}`,
            { cause: error },
          );
        }
        await saveFailure(app()?.browser, name).catch(() => {});
        throw error;
      }
    });
  return { start, test };
}

/**
 * The set-up most files share: a simulator with the demo projects (and `simArgs`), started when
 * the file loads, and before the first step the app (`launch`: `startApp`, or `launchApp` for an
 * app the test starts itself) signed in to it as a new cloud profile named `profile`; after the
 * last step both are stopped. `launched(app)` is given each app it starts (again after a crash,
 * see appSteps); `app()` is the one running now (a step may have replaced it). Returns the
 * simulator with appSteps' `test` and `start`.
 */
export async function demoSession({ token, profile, simArgs = [], launch = startApp, launched, app }) {
  const sim = await startSim(['--token', token, '--seed-demo', ...simArgs]);
  const steps = appSteps({
    launch: async () => {
      const started = await launch();
      launched(started);
      await signInToDemo(started.browser, { name: profile, endpoint: sim.url, token });
    },
    app,
  });
  before(() => steps.start());
  after(async () => {
    await app()?.stop();
    await sim.stop();
  });
  return { sim, ...steps };
}

/** WebKitWebDriver's answers once the web process of its session has died. */
const SESSION_GONE = /session deleted because of page crash|invalid session id/i;

/** What shows the session is gone — `error`, or the answer to a question asked after it — or null. */
async function sessionLost(browser, error) {
  const said = (e) => String(e?.message ?? e).split('\n')[0];
  if (SESSION_GONE.test(`${error?.name} ${error?.message}`)) return said(error);
  if (!browser) return null;
  // Right after its web process dies, WebKitWebDriver can answer "unknown error" for a moment
  // before it ends the session: ask until the window answers, or the session is gone, for 5 s.
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await withTimeout(browser.getTitle(), 10000, 'asking the window its title');
      return null;
    } catch (probe) {
      if (SESSION_GONE.test(`${probe?.name} ${probe?.message}`)) return `${said(probe)} (the step had: ${said(error)})`;
      if (Date.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function uptimeSeconds() {
  try {
    return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  } catch {
    return 0;
  }
}

/** What the kernel log (since `since`, seconds after boot) and the app printed about the crash. */
export function crashEvidence(since, logs) {
  let kernel = [];
  try {
    kernel = execFileSync('dmesg', { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .filter((line) => Number(line.match(/^\[\s*([\d.]+)\]/)?.[1] ?? 0) >= since)
      .filter((line) => /webkit|swrast|segfault|killed process/i.test(line));
  } catch {
    kernel = ['(the kernel log could not be read)'];
  }
  const app = logs
    .join('')
    .split('\n')
    .filter((line) => /renderer stopped|crash|segmentation|signal/i.test(line));
  const lines = [...kernel.slice(-4).map((l) => `kernel: ${l}`), ...app.slice(-4).map((l) => `app: ${l}`)];
  return lines.length ? lines.join('\n') : 'Neither the kernel log nor the app printed anything about it.';
}

/** Replaces a field's text the way a person does: select all, then type (or delete). */
export async function type(b, testid, text) {
  const el = await byTestId(b, testid);
  await el.click();
  await b.keys(['Control', 'a']);
  await b.keys('Backspace');
  if (text) await el.addValue(text);
  return el;
}

export async function click(b, testid, timeout) {
  await (await byTestId(b, testid, timeout)).click();
}

/** The text of every project row the list renders. */
export function rows(b) {
  return b.execute(() => [...document.querySelectorAll('[data-testid="project-row"]')].map((r) => r.textContent));
}

/** Fills the sign-in form for a new cloud profile against `endpoint` and submits it. */
export async function submitSignIn(b, { name, endpoint, token }) {
  await byTestId(b, 'sign-in-screen');
  await type(b, 'sign-in-profile-name', name);
  const endpointField = await b.$('[data-testid="sign-in-endpoint"]');
  if (!(await endpointField.isDisplayed())) await (await b.$('details.advanced summary')).click();
  await type(b, 'sign-in-endpoint', endpoint);
  await type(b, 'sign-in-token', token);
  await click(b, 'sign-in-submit');
}

/** From the first screen: signs in as a new cloud profile and waits for the demo projects. */
export async function signInToDemo(b, profile) {
  await click(b, 'welcome-sign-in');
  await submitSignIn(b, profile);
  await b.waitUntil(async () => (await rows(b)).length >= 5, { timeout: 20000, timeoutMsg: 'projects not listed' });
}

/** Pastes multi-line text into a textarea (WebDriver typing drops newlines in WebKitGTK). */
export async function paste(b, testid, text) {
  const el = await byTestId(b, testid);
  await b.execute(
    (node, value) => {
      node.value = value;
      node.dispatchEvent(new Event('input', { bubbles: true }));
    },
    el,
    text,
  );
}
