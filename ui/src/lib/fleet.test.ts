import { describe, expect, it, vi } from 'vitest';
import { FleetStore } from './fleet.svelte';
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
    const store = new FleetStore(fake.api);
    store.follow(run);
    await settled();
    expect(fake.api.fleetRuns).toHaveBeenCalledTimes(1);
    const newer: FleetRun = { ...structuredClone(run), phase: 'finished' };
    announce(newer);
    answer([{ ...structuredClone(run), phase: 'running' }]);
    await settled();
    expect(store.run?.phase).toBe('finished');
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
