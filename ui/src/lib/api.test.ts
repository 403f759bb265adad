// lib/api.ts through the (stand-in or generated) bindings down to Tauri's IPC, with Tauri's
// internals replaced by a stub on `window` (what @tauri-apps/api/core calls into).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createTauriApi } from './api';

type Handler = (cmd: string, args: Record<string, unknown> | undefined) => unknown;

let handler: Handler;
let callbacks: Map<number, (payload: unknown) => void>;

beforeEach(() => {
  callbacks = new Map();
  let nextId = 1;
  (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {
    invoke: vi.fn(async (cmd: string, args?: Record<string, unknown>) => handler(cmd, args)),
    transformCallback: (cb: (payload: unknown) => void) => {
      const id = nextId++;
      callbacks.set(id, cb);
      return id;
    },
    unregisterCallback: (id: number) => callbacks.delete(id),
  };
  (window as unknown as Record<string, unknown>).__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    unregisterListener: () => {},
  };
});

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
  delete (window as unknown as Record<string, unknown>).__TAURI_EVENT_PLUGIN_INTERNALS__;
});

function invoked() {
  const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: ReturnType<typeof vi.fn> } }).__TAURI_INTERNALS__;
  return internals.invoke.mock.calls.map((c) => [c[0], c[1]]);
}

describe('createTauriApi', () => {
  it('calls the snake_case commands with camelCase arguments and returns the data', async () => {
    handler = (cmd) => {
      if (cmd === 'get_state') return { profiles: [], activeProfileId: null };
      if (cmd === 'list_projects') return [];
      if (cmd === 'rename_project') return { tenantId: 't', slug: 's', cloud: 'aws', region: 'r', projectId: 'p', projectName: 'n', endpoint: 'e' };
      return null;
    };
    const api = createTauriApi();
    expect(await api.getState()).toEqual({ profiles: [], activeProfileId: null });
    expect(await api.listProjects()).toEqual([]);
    await api.renameProject('t-1', 'new-name');
    await api.signIn({ profile: { id: 'p', name: 'Work', color: '', endpoint: '' }, token: 'tok', remember: false });
    await api.openExternal('p-1', 'console');
    await api.deleteProject({ tenantId: 't-1', confirmName: 'x' });
    expect(invoked()).toEqual([
      ['get_state', {}],
      ['list_projects', {}],
      ['rename_project', { tenantId: 't-1', name: 'new-name' }],
      ['sign_in', { input: { profile: { id: 'p', name: 'Work', color: '', endpoint: '' }, token: 'tok', remember: false } }],
      ['open_external', { projectId: 'p-1', target: 'console' }],
      ['delete_project', { input: { tenantId: 't-1', confirmName: 'x' } }],
    ]);
  });

  it('throws ApiError carrying kind, message and details from an AppError', async () => {
    handler = () => {
      throw { kind: 'invalidInput', message: 'Bad name.', field: 'name' };
    };
    const api = createTauriApi();
    const e = await api.createProject({ cloud: 'aws', region: 'r', plan: 'cloud_free', name: 'X', envs: [] }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ kind: 'invalidInput', message: 'Bad name.', field: 'name' });

    handler = () => {
      throw { kind: 'rateLimited', message: 'Slow down.', retryAfterSecs: 30 };
    };
    await expect(api.listProjects()).rejects.toMatchObject({ kind: 'rateLimited', retryAfterSecs: 30 });

    handler = () => {
      throw { kind: 'server', message: 'Oops.', code: 'unexpected', requestId: 'req-9' };
    };
    await expect(api.listRegions()).rejects.toMatchObject({ kind: 'server', code: 'unexpected', requestId: 'req-9' });
  });

  it('turns IPC failures (thrown Errors, strings) into internal ApiErrors', async () => {
    handler = () => {
      throw new Error('IPC channel closed');
    };
    const api = createTauriApi();
    await expect(api.getState()).rejects.toMatchObject({ kind: 'internal', message: 'IPC channel closed' });
    handler = () => {
      throw 'command get_state not found';
    };
    await expect(api.getState()).rejects.toMatchObject({ kind: 'internal', message: 'command get_state not found' });
  });

  it('rejects with an ApiError from the commands that return no Result too (pasteEnvRows, resume, location)', async () => {
    handler = () => {
      throw new Error('IPC channel closed');
    };
    const api = createTauriApi();
    for (const request of [api.pasteEnvRows([], 'A=1'), api.resumeAfterRestart(), api.rememberLocation({ name: 'projects' })]) {
      const e = await request.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApiError);
      expect(e).toMatchObject({ kind: 'internal', message: 'IPC channel closed' });
    }
    const pasted = { rows: [{ key: 'A', value: '1' }], added: 1, text: '', errors: [] };
    handler = (cmd) => (cmd === 'paste_env_rows' ? pasted : null);
    expect(await api.pasteEnvRows([], 'A=1')).toEqual(pasted);
    expect(invoked().at(-1)).toEqual(['paste_env_rows', { rows: [], text: 'A=1' }]);
  });

  it('returns ProjectDetails as Rust sends it (the row nested as `project`)', async () => {
    const row = { id: 'p', name: 'n', endpoint: 'e', plan: null, tenantId: 't', slug: 's', cloud: 'aws', region: 'r', createdAt: 'c' };
    const urls = { consoleUrl: 'cu', dashboardUrl: 'du', graphqlUrl: 'gu' };
    const api = createTauriApi();
    handler = (cmd, args) => (cmd === 'project_details' && args?.projectId === 'p' ? { project: row, ...urls } : null);
    expect(await api.projectDetails('p')).toEqual({ project: row, ...urls });
  });

  it('delivers menu actions from the typed event', async () => {
    let listenArgs: Record<string, unknown> | undefined;
    handler = (cmd, args) => {
      if (cmd === 'plugin:event|listen') {
        listenArgs = args;
        return 7;
      }
      return null;
    };
    const api = createTauriApi();
    const got: string[] = [];
    const unlisten = await api.onMenuAction((a) => got.push(a));
    expect(listenArgs?.event).toBe('menu-action');
    callbacks.get(listenArgs?.handler as number)?.({ event: 'menu-action', id: 7, payload: { action: 'refresh' } });
    expect(got).toEqual(['refresh']);
    expect(typeof unlisten).toBe('function');
  });
  it('calls the env commands by their snake_case names with camelCase arguments', async () => {
    const draft = { tenantId: 't-1', baseHash: 'h', vars: [], changes: [], issues: [], secretStaged: [], loadedAt: '2024-01-01T00:00:00Z', snapshots: [] };
    handler = (cmd) => {
      if (cmd === 'env_apply') return { outcome: 'nothingChanged' };
      if (cmd === 'env_import_preview') return { added: [], overwritten: [], unchanged: [], errors: [], issues: [] };
      if (cmd === 'env_export') return null;
      if (cmd === 'env_compare') return { leftTenantId: 'a', rightTenantId: 'b', rows: [] };
      if (cmd === 'env_unsaved') return ['t-1'];
      return draft;
    };
    const api = createTauriApi();
    expect(await api.envLoad('t-1')).toEqual(draft);
    await api.envReload('t-1');
    await api.envStage('t-1', [{ op: 'set', key: 'A', value: '1' }, { op: 'remove', key: 'B' }]);
    await api.envUnstage('t-1', ['A']);
    await api.envDiscard('t-1');
    await api.envRestore('t-1', 2);
    expect(await api.envApply('t-1', 'shop')).toEqual({ outcome: 'nothingChanged' });
    await api.envResolve('t-1', [{ key: 'A', resolution: { choose: 'value', value: 'v' } }]);
    await api.envImportPreview('t-1', 'A=1');
    await api.envImportStage('t-1', 'A=1');
    expect(await api.envExport('t-1')).toBeNull();
    await api.envCompare('a', 'b');
    await api.envCopy('a', 'b', ['K']);
    expect(await api.envUnsaved()).toEqual(['t-1']);
    expect(invoked()).toEqual([
      ['env_load', { tenantId: 't-1' }],
      ['env_reload', { tenantId: 't-1' }],
      ['env_stage', { tenantId: 't-1', edits: [{ op: 'set', key: 'A', value: '1' }, { op: 'remove', key: 'B' }] }],
      ['env_unstage', { tenantId: 't-1', keys: ['A'] }],
      ['env_discard', { tenantId: 't-1' }],
      ['env_restore', { tenantId: 't-1', snapshotId: 2 }],
      ['env_apply', { tenantId: 't-1', confirmName: 'shop' }],
      ['env_resolve', { tenantId: 't-1', resolutions: [{ key: 'A', resolution: { choose: 'value', value: 'v' } }] }],
      ['env_import_preview', { tenantId: 't-1', text: 'A=1' }],
      ['env_import_stage', { tenantId: 't-1', text: 'A=1' }],
      ['env_export', { tenantId: 't-1' }],
      ['env_compare', { leftTenantId: 'a', rightTenantId: 'b' }],
      ['env_copy', { fromTenantId: 'a', toTenantId: 'b', keys: ['K'] }],
      ['env_unsaved', {}],
    ]);

    handler = () => {
      throw { kind: 'invalidInput', message: 'Fix the errors first.', field: 'envs' };
    };
    await expect(api.envApply('t-1', null)).rejects.toMatchObject({ kind: 'invalidInput', field: 'envs' });
  });

  it('streams health progress through a Channel and resolves with the final state', async () => {
    const final = { phase: 'healthy', attempt: 2, elapsedMs: 3000, status: 200, message: 'OK' };
    handler = (cmd, args) => {
      expect(cmd).toBe('env_watch_health');
      expect(args?.tenantId).toBe('t-1');
      const channel = args?.onProgress as { id: number };
      const send = callbacks.get(channel.id)!;
      send({ index: 0, message: { phase: 'waiting', attempt: 0, elapsedMs: 0, status: null, message: '' } });
      send({ index: 1, message: { phase: 'unhealthy', attempt: 1, elapsedMs: 2000, status: 503, message: '503' } });
      return final;
    };
    const api = createTauriApi();
    const seen: string[] = [];
    expect(await api.envWatchHealth('t-1', (p) => seen.push(`${p.phase}:${p.attempt}`))).toEqual(final);
    expect(seen).toEqual(['waiting:0', 'unhealthy:1']);
  });

  it('onCloseRequested keeps the window open when the callback says no', async () => {
    (window as unknown as { __TAURI_INTERNALS__: Record<string, unknown> }).__TAURI_INTERNALS__.metadata = {
      currentWindow: { label: 'main' },
      currentWebview: { windowLabel: 'main', label: 'main' },
    };
    let listenArgs: Record<string, unknown> | undefined;
    handler = (cmd, args) => {
      if (cmd === 'plugin:event|listen') {
        listenArgs = args;
        return 3;
      }
      return null;
    };
    const api = createTauriApi();
    let allow = false;
    const unlisten = await api.onCloseRequested(async () => allow);
    expect(typeof unlisten).toBe('function');
    expect(listenArgs?.event).toBe('tauri://close-requested');
    const fire = callbacks.get(listenArgs?.handler as number)!;

    fire({ event: 'tauri://close-requested', id: 3, payload: null });
    await new Promise((r) => setTimeout(r, 0));
    expect(invoked().some(([cmd]) => cmd === 'plugin:window|destroy')).toBe(false);

    allow = true;
    fire({ event: 'tauri://close-requested', id: 3, payload: null });
    await new Promise((r) => setTimeout(r, 0));
    expect(invoked()).toContainEqual(['plugin:window|destroy', { label: 'main' }]);
  });
});
