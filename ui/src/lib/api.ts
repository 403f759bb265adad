// The one module that talks to Tauri: it imports the generated bindings and maps them onto the
// UI's `Api` (lib/types.ts). Everything else receives an `Api` through context, so tests can swap
// in a fake. Keep this file independent of the bindings' formatting: it relies only on the
// command names and the types' field names.
import { Channel } from '@tauri-apps/api/core';
import { getCurrentWindow } from '@tauri-apps/api/window';
import { commands, events } from './bindings';
import { ApiError, type Api, type AppError } from './types';

export { ApiError } from './types';
export type * from './types';

/** What every generated command that can fail resolves to. */
type Result<T> = { status: 'ok'; data: T } | { status: 'error'; error: AppError };

/**
 * Runs a command that cannot fail in Rust: an IPC failure (a thrown Error or string) rejects as
 * an `internal` ApiError. Every `Api` method goes through here, so each rejects with an ApiError.
 */
async function send<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    throw ApiError.from(e);
  }
}

/** Runs a command that returns a tauri-specta `Result`: its error side rejects as an ApiError too. */
async function call<T>(request: () => Promise<Result<T>>): Promise<T> {
  const result = await send(request);
  if (result.status === 'ok') return result.data;
  // Not always an AppError: the generated wrapper puts a rejected string (an unknown command) here.
  throw ApiError.from(result.error);
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

export function createTauriApi(): Api {
  return {
    getState: () => call(() => commands.getState()),
    deleteProfile: (id) => call(() => commands.deleteProfile(id)),
    switchProfile: (id) => call(() => commands.switchProfile(id)),
    signIn: (input) => call(() => commands.signIn(input)),
    signOut: (profileId) => call(() => commands.signOut(profileId)),
    setProduction: (projectId, production) => call(() => commands.setProduction(projectId, production)),
    openSandbox: () => call(() => commands.openSandbox()),
    listProjects: () => call(() => commands.listProjects()),
    cachedProjects: async () => (await call(() => commands.cachedProjects())) ?? null,
    projectDetails: (projectId) => call(() => commands.projectDetails(projectId)),
    findTenantId: (projectId) => call(() => commands.findTenantId(projectId)),
    tenantDetails: (tenantId) => call(() => commands.tenantDetails(tenantId)),
    listRegions: () => call(() => commands.listRegions()),
    createProject: (input) => call(() => commands.createProject(input)),
    renameProject: (tenantId, name) => call(() => commands.renameProject(tenantId, name)),
    deleteProject: async (input) => {
      await call(() => commands.deleteProject(input));
    },
    openExternal: async (projectId, target) => {
      await call(() => commands.openExternal(projectId, target));
    },
    onMenuAction: (cb) => send(() => events.menuAction.listen((event) => cb(event.payload.action))),

    envLoad: (tenantId) => call(() => commands.envLoad(tenantId)),
    envReload: (tenantId) => call(() => commands.envReload(tenantId)),
    envStage: (tenantId, edits) => call(() => commands.envStage(tenantId, edits)),
    envUnstage: (tenantId, keys) => call(() => commands.envUnstage(tenantId, keys)),
    envDiscard: (tenantId) => call(() => commands.envDiscard(tenantId)),
    envRestore: (tenantId, snapshotId) => call(() => commands.envRestore(tenantId, snapshotId)),
    envApply: (tenantId, confirmName) => call(() => commands.envApply(tenantId, confirmName)),
    envResolve: (tenantId, resolutions) => call(() => commands.envResolve(tenantId, resolutions)),
    envImportPreview: (tenantId, text) => call(() => commands.envImportPreview(tenantId, text)),
    parseDotenv: (text) => send(() => commands.parseDotenv(text)),
    checkField: (check) => send(() => commands.checkField(check)),
    checkEnvRows: (rows) => send(() => commands.checkEnvRows(rows)),
    suggestPreviewName: (branch, repository) => send(() => commands.suggestPreviewName(branch, repository)),
    formRules: () => send(() => commands.formRules()),
    envImportStage: (tenantId, text) => call(() => commands.envImportStage(tenantId, text)),
    envExport: async (tenantId) => (await call(() => commands.envExport(tenantId))) ?? null,
    envCompare: (left, right) => call(() => commands.envCompare(left, right)),
    envCopy: (from, to, keys) => call(() => commands.envCopy(from, to, keys)),
    envWatchHealth: (tenantId, onProgress) =>
      call(() => commands.envWatchHealth(tenantId, progressChannel(onProgress))),
    envUnsaved: () => call(() => commands.envUnsaved()),
    activityList: (limit) => call(() => commands.activityList(limit)),
    activityClear: async () => {
      await call(() => commands.activityClear());
    },
    getPreferences: () => call(() => commands.getPreferences()),
    setPreferences: (preferences) => call(() => commands.setPreferences(preferences)),
    updateCheck: async () => (await call(() => commands.updateCheck())) ?? null,
    updateInstall: async (onProgress) => {
      await call(() => commands.updateInstall(progressChannel(onProgress)));
    },
    benchMarkReady: async (paintedAtMs) => {
      if (readyMarked) return;
      readyMarked = true;
      await send(() => commands.benchMarkReady(paintedAtMs));
    },
    rememberLocation: (location) => send(() => commands.rememberLocation(location)),
    resumeAfterRestart: () => send(() => commands.resumeAfterRestart()),
    parseRepository: (text) => call(() => commands.parseRepository(text)),
    githubTokenStatus: () => call(() => commands.githubTokenStatus()),
    setGithubToken: (token) => call(() => commands.setGithubToken(token)),
    forgetGithubToken: () => call(() => commands.forgetGithubToken()),
    previewCreate: (input) => call(() => commands.previewCreate(input)),
    previewRuns: () => call(() => commands.previewRuns()),
    previewWatch: (jobId) => call(() => commands.previewWatch(jobId)),
    previewDismiss: async (jobId) => {
      await call(() => commands.previewDismiss(jobId));
    },
    previewApps: () => call(() => commands.previewApps()),
    previewCleanup: (input) => call(() => commands.previewCleanup(input)),
    onPreviewRunChanged: (cb) => send(() => events.previewRunChanged.listen((event) => cb(event.payload))),
    onCloseRequested: (cb) =>
      send(() =>
        getCurrentWindow().onCloseRequested(async (event) => {
          let allow: boolean;
          try {
            allow = await cb();
          } catch {
            // A broken prompt must not trap the person in a window that cannot close.
            allow = true;
          }
          if (!allow) event.preventDefault();
        }),
      ),
  };
}
