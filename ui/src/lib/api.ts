// The one module that talks to Tauri: the UI's `Api` (lib/types.ts) is the generated commands
// (lib/bindings.ts), each wrapped so that it rejects with an ApiError, plus the few that take a
// callback, listen to events or ask the window. Everything else receives an `Api` through
// context, so tests can swap in a fake. A new command needs no line here.
import { Channel } from '@tauri-apps/api/core';
import { commands, events } from './bindings';
import { ApiError, type Api } from './types';
import { noteAnswer, pageStart } from './page-start';

export { ApiError } from './types';
export type * from './types';

/**
 * Runs a command: a command's error (an `AppError`) or an IPC failure (a thrown Error or string,
 * e.g. an unknown command) rejects as an ApiError. Every `Api` method goes through here.
 */
async function send<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    throw ApiError.from(e);
  } finally {
    noteAnswer();
  }
}

/**
 * A channel for progress that Rust sends. The bindings type a channel argument's messages as what
 * Rust would accept (`X_Deserialize`), but Rust serialises them: they arrive as `X_Serialize`.
 */
function progressChannel<Sent, Declared>(onProgress: (progress: Sent) => void): Channel<Declared> {
  const channel = new Channel<Declared>();
  channel.onmessage = (message) => onProgress(message as unknown as Sent);
  return channel;
}

/** The start-up mark is sent once per page load. */
let readyMarked = false;

/** Every generated command, wrapped by `send`: the Api needs no line per command. */
function commandApi(): Record<string, (...args: unknown[]) => Promise<unknown>> {
  const wrapped: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, command] of Object.entries(commands)) {
    const run = command as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args) => send(() => run(...args));
  }
  return wrapped;
}

export function createTauriApi(): Api {
  return {
    ...(commandApi() as unknown as Api),
    envWatchHealth: (tenantId, onProgress) =>
      send(() => commands.envWatchHealth(tenantId, progressChannel(onProgress))),
    fleetFindUsage: (tenantId, key, onProgress) =>
      send(() => commands.fleetFindUsage(tenantId, key, progressChannel(onProgress))),
    updateInstall: async (onProgress) => {
      await send(() => commands.updateInstall(progressChannel(onProgress)));
    },
    benchMarkReady: async ({ rowsInDomAtMs, frameAtMs, paintedAtMs }) => {
      if (readyMarked) return;
      readyMarked = true;
      await send(() => commands.benchMarkReady(paintedAtMs, { ...pageStart, rowsInDomAtMs, frameAtMs }));
    },
    rememberLocation: (location) => send(() => commands.rememberLocation(location)),
    onMenuAction: (cb) => send(() => events.menuAction.listen((event) => cb(event.payload.action))),
    onPreviewRunChanged: (cb) => send(() => events.previewRunChanged.listen((event) => cb(event.payload))),
    onFleetRunChanged: (cb) => send(() => events.fleetRunChanged.listen((event) => cb(event.payload))),
    onLinkReceived: (cb) => send(() => events.linkReceived.listen(() => cb())),
    onCloseRequested: (cb) =>
      send(async () => {
        // Tauri's window module (a fifth of the entry chunk) is needed only here, after start.
        const { getCurrentWindow } = await import('@tauri-apps/api/window');
        return getCurrentWindow().onCloseRequested(async (event) => {
          let allow: boolean;
          try {
            allow = await cb();
          } catch {
            // A broken prompt must not trap the person in a window that cannot close.
            allow = true;
          }
          if (!allow) event.preventDefault();
        });
      }),
  };
}
