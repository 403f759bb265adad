import { describe, expect, it, vi } from 'vitest';
import { FleetStore, withUnchangedRows } from './fleet.svelte';
import { createFake, makeProject } from '../test/fake-api';
import type { FleetRun } from './types';

function started() {
  const projects = Array.from({ length: 3 }, (_, i) => makeProject(i));
  const fake = createFake({ projects });
  const plan = fake.fleet.preview(
    projects.map((p) => p.tenantId!),
    [{ op: 'delete', key: 'A' }],
  );
  const run = fake.fleet.start({ planId: plan.planId, confirmNames: {}, stopOnFailure: false, watchHealth: false });
  return { fake, run };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A hand-driven `requestAnimationFrame`: `paint()` runs what waits for the next frame. */
function manualFrames() {
  let waiting: (() => void)[] = [];
  return {
    nextFrame: (callback: () => void) => void waiting.push(callback),
    asked: () => waiting.length,
    paint() {
      const now = waiting;
      waiting = [];
      now.forEach((callback) => callback());
    },
  };
}

describe('FleetStore follows a run through Rust’s events', () => {
  it('shows each change the run announces until it ends, with no reads of its own', async () => {
    const { fake, run } = started();
    const store = new FleetStore(fake.api);
    store.follow(run);
    await settled();
    expect(fake.api.onFleetRunChanged).toHaveBeenCalledTimes(1);
    const reads = fake.api.fleetRuns.mock.calls.length;
    await expect.poll(() => store.run?.phase, { timeout: 2000 }).toBe('finished');
    expect(store.run?.rows.map((r) => r.state)).toEqual(['applied', 'applied', 'applied']);
    // One catch-up read when it started listening; the rest came as events.
    expect(fake.api.fleetRuns.mock.calls.length).toBe(reads);
    store.stop();
  });

  it('a catch-up read never replaces what a newer event brought', async () => {
    const { fake, run } = started();
    let announce: (run: FleetRun) => void = () => {};
    fake.api.onFleetRunChanged.mockImplementation(async (cb) => {
      announce = cb;
      return () => {};
    });
    let answer: (runs: FleetRun[]) => void = () => {};
    fake.api.fleetRuns.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const frames = manualFrames();
    const store = new FleetStore(fake.api, frames.nextFrame);
    store.follow(run);
    await settled();
    expect(fake.api.fleetRuns).toHaveBeenCalledTimes(1);
    const newer: FleetRun = { ...structuredClone(run), phase: 'finished', over: true };
    announce(newer);
    answer([{ ...structuredClone(run), phase: 'running' }]);
    await settled();
    frames.paint();
    expect(store.run?.phase).toBe('finished');
  });

  it('shows the newest of the events that came between two frames, once', async () => {
    const { fake, run } = started();
    let announce: (run: FleetRun) => void = () => {};
    fake.api.onFleetRunChanged.mockImplementation(async (cb) => {
      announce = cb;
      return () => {};
    });
    const frames = manualFrames();
    const store = new FleetStore(fake.api, frames.nextFrame);
    store.follow(run);
    await settled();
    const step = (states: FleetRun['rows'][number]['state'][]): FleetRun => ({
      ...structuredClone(run),
      rows: run.rows.map((row, i) => ({ ...row, state: states[i]! })),
    });
    announce(step(['applying', 'pending', 'pending']));
    announce(step(['applied', 'pending', 'pending']));
    announce(step(['applied', 'applying', 'pending']));
    expect(store.run?.rows.map((r) => r.state)).toEqual(['pending', 'pending', 'pending']);
    expect(frames.asked()).toBe(1);
    frames.paint();
    expect(store.run?.rows.map((r) => r.state)).toEqual(['applied', 'applying', 'pending']);
    // Another run's event is not this one's news; stop() drops what had not been shown yet.
    announce({ ...step(['failed', 'failed', 'failed']), id: 'another run' });
    announce(step(['applied', 'applied', 'applying']));
    store.stop();
    frames.paint();
    expect(store.run?.rows.map((r) => r.state)).toEqual(['applied', 'applying', 'pending']);
  });

  it('keeps the objects of the rows that did not change, so only changed rows re-render', () => {
    const { run } = started();
    const shown: FleetRun = structuredClone(run);
    const next: FleetRun = structuredClone(run);
    next.rows[1] = { ...next.rows[1]!, state: 'applied' };
    const merged = withUnchangedRows(shown, next);
    expect(merged.rows[0]).toBe(shown.rows[0]);
    expect(merged.rows[1]).toBe(next.rows[1]);
    expect(merged.rows[2]).toBe(shown.rows[2]);
    expect(merged.rows.map((r) => r.state)).toEqual(next.rows.map((r) => r.state));
    // A different run shares nothing.
    expect(withUnchangedRows(shown, { ...next, id: 'another run' }).rows[0]).toBe(next.rows[0]);
  });

  it('reads the run again only when it starts following it, not after a Pause or Resume', async () => {
    const { fake, run } = started();
    const store = new FleetStore(fake.api);
    store.follow(run);
    await settled();
    expect(fake.api.fleetRuns).toHaveBeenCalledTimes(1);
    fake.api.fleetControl.mockImplementation(async () => ({ ...structuredClone(run), phase: 'paused' }));
    await store.control('pause');
    await settled();
    expect(store.run?.phase).toBe('paused');
    expect(fake.api.fleetRuns).toHaveBeenCalledTimes(1);
    // Another run is news: its events before the answer were not this run's, so read once more.
    store.follow({ ...structuredClone(run), id: 'another run' });
    await settled();
    expect(fake.api.fleetRuns).toHaveBeenCalledTimes(2);
    store.stop();
  });

  it('stop() stops listening', async () => {
    const { fake, run } = started();
    const off = vi.fn();
    fake.api.onFleetRunChanged.mockImplementation(async () => off);
    const store = new FleetStore(fake.api);
    store.follow(run);
    await settled();
    store.stop();
    expect(off).toHaveBeenCalledTimes(1);
  });
});

function searching(total: number) {
  const projects = Array.from({ length: total }, (_, i) => makeProject(i));
  const fake = createFake({ projects });
  fake.fleet.usage = {
    valueFingerprint: 'ab12cd34ef56',
    rows: [{ tenantId: projects[0]!.tenantId!, projectId: projects[0]!.id, name: projects[0]!.name, production: false, keys: ['K'] }],
    read: total,
    total,
    unreadable: [],
    cancelled: false,
  };
  return { fake, tenantId: projects[0]!.tenantId! };
}

describe('FleetStore finds where a value is used with the progress Rust sends', () => {
  it('shows each project read as it comes, then the answer', async () => {
    const { fake, tenantId } = searching(3);
    const store = new FleetStore(fake.api);
    const found = store.findUsage(tenantId, 'K');
    await expect.poll(() => store.finding).toEqual({ read: 1, total: 3 });
    await expect.poll(() => store.finding?.read).toBe(2);
    await found;
    expect(store.finding).toBeNull();
    expect(store.usage).toMatchObject({ read: 3, total: 3, cancelled: false });
    expect(fake.api.fleetFindUsage).toHaveBeenCalledTimes(1);
  });

  it('Cancel stops the search; the answer says how far it got', async () => {
    const { fake, tenantId } = searching(10);
    const store = new FleetStore(fake.api);
    const found = store.findUsage(tenantId, 'K');
    await expect.poll(() => store.finding?.read).toBe(2);
    store.cancelFind();
    await found;
    expect(fake.api.fleetUsageCancel).toHaveBeenCalledTimes(1);
    expect(store.usage?.cancelled).toBe(true);
    expect(store.usage?.read).toBeGreaterThanOrEqual(2);
    expect(store.usage?.read).toBeLessThan(10);
  });

  it('progress that arrives after the answer changes nothing', async () => {
    const { fake, tenantId } = searching(3);
    let late: (p: { read: number; total: number }) => void = () => {};
    fake.api.fleetFindUsage.mockImplementation(async (_t, _k, onProgress) => {
      late = onProgress;
      return structuredClone(fake.fleet.usage!);
    });
    const store = new FleetStore(fake.api);
    await store.findUsage(tenantId, 'K');
    late({ read: 1, total: 3 });
    expect(store.finding).toBeNull();
  });
});
