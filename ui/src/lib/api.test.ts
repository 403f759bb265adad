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
    await api.signIn({ profileId: 'p', token: 'tok', remember: false });
    await api.openExternal('p-1', 'console');
    await api.deleteProject({ tenantId: 't-1', confirmName: 'x' });
    expect(invoked()).toEqual([
      ['get_state', {}],
      ['list_projects', {}],
      ['rename_project', { tenantId: 't-1', name: 'new-name' }],
      ['sign_in', { input: { profileId: 'p', token: 'tok', remember: false } }],
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

  it('accepts ProjectDetails nested as `project` or flattened', async () => {
    const row = { id: 'p', name: 'n', endpoint: 'e', plan: null, tenantId: 't', slug: 's', cloud: 'aws', region: 'r', createdAt: 'c' };
    const urls = { consoleUrl: 'cu', dashboardUrl: 'du', graphqlUrl: 'gu' };
    const api = createTauriApi();
    handler = () => ({ project: row, ...urls });
    expect(await api.projectDetails('p')).toEqual({ project: row, ...urls });
    handler = () => ({ ...row, ...urls });
    const flat = await api.projectDetails('p');
    expect(flat.project).toMatchObject(row);
    expect(flat.consoleUrl).toBe('cu');
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
});
