// lib/api.ts's preview-app methods through the generated bindings down to Tauri's IPC, with
// Tauri's internals replaced by a stub on `window` (as in api.test.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTauriApi } from './api';
import type { PreviewRun } from './types';

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
  (window as unknown as Record<string, unknown>).__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener: () => {} };
});

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
  delete (window as unknown as Record<string, unknown>).__TAURI_EVENT_PLUGIN_INTERNALS__;
});

function invoked() {
  const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: ReturnType<typeof vi.fn> } }).__TAURI_INTERNALS__;
  return internals.invoke.mock.calls.map((c) => [c[0], c[1]]);
}

const run: PreviewRun = {
  id: 'job-1',
  appLink: 'hasura-cloud-desktop://preview/job-1',
  profileId: 'p',
  name: 'pr-1',
  phase: 'creating',
  creation: null,
  deployment: null,
  links: null,
  error: null,
  pollError: null,
  startedAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  polls: 0,
  nextPollInMs: 1000,
};

describe('createTauriApi: preview apps', () => {
  it('calls the snake_case commands with camelCase arguments and returns the data', async () => {
    handler = (cmd) => {
      if (cmd === 'parse_repository') return { owner: 'o', repo: 'r', branch: 'b', directory: 'd' };
      if (cmd.endsWith('github_token') || cmd === 'github_token_status') return { stored: cmd !== 'forget_github_token' };
      if (cmd === 'preview_create' || cmd === 'preview_watch') return run;
      if (cmd === 'preview_runs') return [run];
      if (cmd === 'preview_apps') return [];
      if (cmd === 'preview_cleanup') return { deleted: ['pr-1'], failed: [] };
      return null;
    };
    const api = createTauriApi();
    const input = { repository: 'o/r', branch: 'b', directory: '', name: 'pr-1', cloud: 'aws', region: 'us-east-2', plan: 'cloud_free', envs: [] };
    const cleanup = { items: [{ tenantId: 't', name: 'pr-1' }], confirmName: 'pr-1' };
    expect(await api.parseRepository('https://github.com/o/r/tree/b/d')).toEqual({ owner: 'o', repo: 'r', branch: 'b', directory: 'd' });
    expect(await api.githubTokenStatus()).toEqual({ stored: true });
    expect(await api.setGithubToken('tok')).toEqual({ stored: true });
    expect(await api.forgetGithubToken()).toEqual({ stored: false });
    expect(await api.previewCreate(input)).toEqual(run);
    expect(await api.previewRuns()).toEqual([run]);
    expect(await api.previewWatch('job-1')).toEqual(run);
    // Rust's () arrives as null; the Api types it as void.
    expect(await api.previewDismiss('job-1')).toBeNull();
    expect(await api.previewApps()).toEqual([]);
    expect(await api.previewCleanup(cleanup)).toEqual({ deleted: ['pr-1'], failed: [] });
    expect(invoked()).toEqual([
      ['parse_repository', { text: 'https://github.com/o/r/tree/b/d' }],
      ['github_token_status', {}],
      ['set_github_token', { token: 'tok' }],
      ['forget_github_token', {}],
      ['preview_create', { input }],
      ['preview_runs', {}],
      ['preview_watch', { jobId: 'job-1' }],
      ['preview_dismiss', { jobId: 'job-1' }],
      ['preview_apps', {}],
      ['preview_cleanup', { input: cleanup }],
    ]);
  });

  it('throws ApiError with the field of an invalidInput', async () => {
    handler = () => {
      throw { kind: 'invalidInput', message: 'Add a GitHub token first.', field: 'githubToken' };
    };
    const api = createTauriApi();
    await expect(api.previewRuns()).rejects.toMatchObject({ kind: 'invalidInput', field: 'githubToken' });
  });

  it('delivers run changes from the typed event', async () => {
    let listenArgs: Record<string, unknown> | undefined;
    handler = (cmd, args) => {
      if (cmd === 'plugin:event|listen') {
        listenArgs = args;
        return 9;
      }
      return null;
    };
    const api = createTauriApi();
    const got: PreviewRun[] = [];
    const unlisten = await api.onPreviewRunChanged((r) => got.push(r));
    expect(listenArgs?.event).toBe('preview-run-changed');
    callbacks.get(listenArgs?.handler as number)?.({ event: 'preview-run-changed', id: 9, payload: run });
    expect(got).toEqual([run]);
    expect(typeof unlisten).toBe('function');
  });
});
