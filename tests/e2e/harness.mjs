// End-to-end harness: the real app binary in a real WebKitGTK webview, driven through
// WebKitWebDriver, against the cloud-sim binary over loopback HTTP.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { remote } from 'webdriverio';

export const ROOT = resolve(import.meta.dirname, '../..');
export const APP = process.env.APP_BINARY ?? join(ROOT, 'target/debug/hasura-cloud-desktop');
export const SIM = process.env.SIM_BINARY ?? join(ROOT, 'target/debug/cloud-sim');
// The committed screenshots are rewritten only when asked (UPDATE_SCREENSHOTS=1); other runs keep
// theirs beside the failure captures, so a test run leaves the working tree as it found it.
/** Where a failed step saves the window (and, unless asked otherwise, where screenshots go). */
const FAILURES = process.env.E2E_FAILURES ?? join(tmpdir(), 'hcd-e2e-failures');
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : join(FAILURES, 'screenshots');

export function freePort() {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
  });
}

// Every helper process is started in its own process group, so that ending it also ends what it
// started (WebKitWebDriver starts the app, the app starts WebKit's processes). A test file whose
// processes outlive it would keep its pipes open and never finish.
const children = new Set();
process.on('exit', () => {
  for (const child of children) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => process.exit(128 + (signal === 'SIGTERM' ? 15 : 2)));
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Ends a process and everything it started: SIGTERM, then SIGKILL if it lingers. */
export async function stopProcess(child, graceMs = 3000) {
  if (!children.has(child)) return;
  const exited = new Promise((res) => child.once('exit', res));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await Promise.race([exited, sleep(graceMs + 2000)]);
  clearTimeout(timer);
  killGroup(child, 'SIGKILL');
  child.stdout?.destroy();
  child.stderr?.destroy();
  children.delete(child);
}

export const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/** `promise`, or a rejection naming `what` once `ms` have passed. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function spawnTracked(command, args, options, name, logs) {
  const child = spawn(command, args, { ...options, detached: true });
  children.add(child);
  child.stdout?.on('data', (d) => logs.push(d.toString()));
  child.stderr?.on('data', (d) => logs.push(d.toString()));
  child.on('exit', () => children.delete(child));
  child.name = name;
  return child;
}

/** Starts cloud-sim on a free port; resolves once it printed its URL. */
export async function startSim(args = []) {
  const logs = [];
  const child = spawnTracked(SIM, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }, 'cloud-sim', logs);
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`cloud-sim did not start: ${logs.join('')}`)), 15000);
    child.stdout.on('data', (d) => {
      const line = d.toString().split('\n')[0].trim();
      if (line.startsWith('http')) {
        clearTimeout(timer);
        res(line);
      }
    });
    child.on('exit', (code) => rej(new Error(`cloud-sim exited ${code}: ${logs.join('')}`)));
  });
  const base = url.replace(/\/v1\/graphql$/, '');
  const control = async (method, path, body) => {
    const response = await fetch(`${base}/control/${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10000),
    });
    if (!response.ok) throw new Error(`control ${path}: ${response.status}`);
    return response.json();
  };
  /** The simulator's API as any other client uses it (a teammate, a CI job): data, or a throw. */
  const graphql = async (token, query, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `pat ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30000),
    });
    const body = await response.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  return {
    url,
    base,
    logs,
    graphql,
    addFault: (rule) => control('POST', 'faults', rule),
    clearFaults: () => control('DELETE', 'faults'),
    stats: () => control('GET', 'stats'),
    stop: () => stopProcess(child),
  };
}

/** tauri.conf.json's identifier, which names the app's folders under each XDG home. */
const IDENTIFIER = 'io.hasuraclouddesktop.desktop';

/** The app's data directory inside `home` (settings, activity log, logs/): `$XDG_DATA_HOME/<identifier>`. */
export const appDataDir = (home) => join(home, 'data', IDENTIFIER);

/** A fresh profile home for the app: settings, WebKit data and caches go there. */
export function appHome() {
  const home = mkdtempSync(join(tmpdir(), 'hcd-e2e-'));
  for (const dir of ['config', 'data', 'cache']) mkdirSync(join(home, dir));
  return home;
}

/** The environment the app runs in: its own home, no update check on the internet. */
export function appEnv(home, extraEnv = {}) {
  return {
    ...process.env,
    // The update check at start goes to a closed local port, never to the internet.
    HCD_UPDATE_ENDPOINT: 'http://127.0.0.1:9/latest.json',
    ...extraEnv,
    TAURI_WEBVIEW_AUTOMATION: 'true',
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
  };
}

/** A WebDriver session on WebKitWebDriver at `port`, with the harness's habits. */
async function newSession(port, capabilities, logs) {
  const session = remote({
    hostname: '127.0.0.1',
    port,
    path: '/',
    logLevel: 'error',
    connectionRetryTimeout: 60000,
    connectionRetryCount: 0,
    capabilities,
  });
  let browser;
  try {
    browser = await withTimeout(session, 90000, 'starting a WebDriver session on the app');
  } catch (error) {
    throw new Error(`${error.message}\n${logs.join('')}`);
  }
  await browser.setTimeout({ implicit: 0 });
  lookAgainWhenReplaced(browser);
  return browser;
}

/** Starts WebKitWebDriver and a session that launches the app (with `args` on its command line). */
export async function startApp({ home = appHome(), binary = APP, env: extraEnv = {}, args = [] } = {}) {
  const port = await freePort();
  const logs = [];
  const env = appEnv(home, extraEnv);
  const driver = spawnTracked('WebKitWebDriver', [`--port=${port}`], { env, stdio: ['ignore', 'pipe', 'pipe'] }, 'WebKitWebDriver', logs);
  await waitForPort(port);
  let browser;
  try {
    browser = await newSession(port, { 'webkitgtk:browserOptions': { binary, args } }, logs);
  } catch (error) {
    await stopProcess(driver);
    throw error;
  }
  return {
    browser,
    home,
    logs,
    driverPid: driver.pid,
    async stop() {
      await withTimeout(browser.deleteSession(), 15000, 'closing the app').catch(() => {});
      await stopProcess(driver);
    },
  };
}

/**
 * Starts the app itself, with WebKit's remote inspector on a free loopback port, and a
 * WebKitWebDriver that attaches to it (`--target`). Unlike `startApp`, a session here can end —
 * WebKitWebDriver ends it when the web process crashes — while the app lives on, and `attach()`
 * opens a new session on the same window.
 */
export async function launchApp({ home = appHome(), env: extraEnv = {} } = {}) {
  const inspector = await freePort();
  const logs = [];
  const env = { ...appEnv(home, extraEnv), WEBKIT_INSPECTOR_SERVER: `127.0.0.1:${inspector}` };
  const app = spawnTracked(APP, [], { env, stdio: ['ignore', 'pipe', 'pipe'] }, 'app', logs);
  await waitForListener(inspector, () => `the app's inspector did not listen on ${inspector}: ${logs.join('')}`);
  let driver = null;
  const handle = {
    browser: null,
    home,
    logs,
    pid: app.pid,
    /** Whether the app process is still running. */
    get running() {
      return app.exitCode === null && app.signalCode === null;
    },
    /** How the app process ended: its exit code or the signal that ended it (null while running). */
    get exit() {
      return handle.running ? null : { code: app.exitCode, signal: app.signalCode };
    },
    /**
     * A new session on the running app's window, through a new WebKitWebDriver: the one before
     * still counts its session (ended by a crash) as active, and allows only one.
     */
    async attach() {
      if (driver) await stopProcess(driver);
      const port = await freePort();
      driver = spawnTracked(
        'WebKitWebDriver',
        [`--port=${port}`, `--target=127.0.0.1:${inspector}`],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
        'WebKitWebDriver',
        logs,
      );
      await waitForPort(port);
      handle.browser = await newSession(port, {}, logs);
      return handle.browser;
    },
    async stop() {
      await withTimeout(handle.browser?.deleteSession() ?? Promise.resolve(), 15000, 'ending the session').catch(() => {});
      if (driver) await stopProcess(driver);
      await stopProcess(app);
    },
  };
  await handle.attach();
  return handle;
}

/** The pids of WebKit's web processes the app `appPid` started (there is one per page). */
export function webProcessesOf(appPid) {
  return childrenOf(appPid).filter(({ comm }) => comm.startsWith('WebKitWebProces')).map(({ pid }) => pid);
}

/** The pid of the app a `startApp` WebKitWebDriver launched. */
export function appProcessOf(started) {
  return childrenOf(started.driverPid).find(({ comm }) => APP.endsWith(comm) || comm.startsWith('hasura-cloud'))?.pid;
}

function childrenOf(parent) {
  const children = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses: split at the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push({ pid: Number(name), comm });
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

async function waitForListener(port, message) {
  for (let i = 0; i < 150; i++) {
    const open = await new Promise((res) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        res(true);
      });
      socket.once('error', () => res(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(message());
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`WebKitWebDriver did not listen on ${port}`);
}

/** The element with this data-testid, once it is displayed. */
export async function byTestId(browser, id, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      const el = await browser.$(`[data-testid="${id}"]`);
      await el.waitForDisplayed({
        timeout: Math.max(deadline - Date.now(), 1),
        timeoutMsg: `[data-testid="${id}"] not displayed within ${timeout} ms`,
      });
      return el;
    } catch (error) {
      // The UI replaced the node between finding it and taking hold of it: look again.
      if (!isStale(error) || Date.now() >= deadline) throw error;
    }
  }
}

/**
 * WebKitWebDriver answers "stale element" when the UI replaces a node while `$` takes hold of it
 * (a list re-rendered, a notice swapped). A person would just look again: so does `$`, up to 10 times.
 * Commands on an element already found re-find it themselves (WebdriverIO does that).
 */
function lookAgainWhenReplaced(browser) {
  browser.overwriteCommand('$', async function (find, selector) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await find(selector);
      } catch (error) {
        if (!isStale(error) || attempt === 10) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
}

function isStale(error) {
  return /stale element/i.test(`${error?.name} ${error?.message}`);
}

/**
 * The visible text of the element with this data-testid ('' when there is none), read in the
 * page itself: safe for text that changes while the UI re-renders the node around it.
 */
export function textOf(browser, id) {
  return browser.execute((sel) => document.querySelector(sel)?.innerText ?? '', `[data-testid="${id}"]`);
}

/**
 * A PNG of the window. WebKit answers a screenshot with the next frame it paints; painting without
 * compositing (as the end-to-end run does), a page that does not change paints none and the
 * screenshot never comes. So while it is taken, a 1-pixel element with nothing to draw toggles its
 * opacity every 30 ms: frames keep coming, and the picture is the page as it is.
 */
export async function capture(browser) {
  await browser.execute(() => {
    const dot = document.createElement('div');
    dot.dataset.captureNudge = '';
    dot.setAttribute('aria-hidden', 'true');
    dot.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0';
    document.body.append(dot);
    const timer = setInterval(() => (dot.style.opacity = dot.style.opacity === '0' ? '0.01' : '0'), 30);
    dot.stop = () => {
      clearInterval(timer);
      dot.remove();
    };
  });
  try {
    return Buffer.from(await browser.takeScreenshot(), 'base64');
  } finally {
    await browser.execute(() => document.querySelectorAll('[data-capture-nudge]').forEach((dot) => dot.stop())).catch(() => {});
  }
}

export async function screenshot(browser, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The capture is of the last painted frame: let what was just rendered reach the screen.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  writeFileSync(join(SCREENSHOTS, `${name}.png`), await capture(browser));
}

/** Saves the window and its text after a failed step. */
export async function saveFailure(browser, name) {
  mkdirSync(FAILURES, { recursive: true });
  const base = join(FAILURES, name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  writeFileSync(`${base}.txt`, await browser.execute(() => document.body.innerText));
  writeFileSync(`${base}.png`, await withTimeout(capture(browser), 20000, 'saving the window'));
  console.error(`# failure saved: ${base}.png`);
}

/** Every file under `dir` (recursively) that contains `needle`. */
export function filesContaining(dir, needle) {
  const hits = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(path);
      else if (st.isFile() && st.size < 64 * 1024 * 1024 && readFileSync(path).includes(needle)) hits.push(path);
    }
  };
  walk(dir);
  return hits;
}

/** How many distinct colours a PNG screenshot has (8-bit RGB or RGBA, as WebDriver sends). */
export function distinctColours(png) {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const idat = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || ![2, 6].includes(data[9])) throw new Error(`unsupported PNG: depth ${data[8]}, type ${data[9]}`);
      channels = data[9] === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const previous = Buffer.alloc(stride);
  const row = Buffer.alloc(stride);
  const colours = new Set();
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? row[x - channels] : 0;
      const up = previous[x];
      const upLeft = x >= channels ? previous[x - channels] : 0;
      let value = line[x];
      if (filter === 1) value += left;
      else if (filter === 2) value += up;
      else if (filter === 3) value += (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        value += pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      row[x] = value & 0xff;
    }
    for (let x = 0; x < stride; x += channels) colours.add((row[x] << 16) | (row[x + 1] << 8) | row[x + 2]);
    row.copy(previous);
  }
  return colours.size;
}
