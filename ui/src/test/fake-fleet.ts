// The fake API's fleet changes: a scripted preview, and a run that moves one project every
// STEP_MS and tells its listeners (as Rust's `FleetRunChanged` does), so a test sees progress,
// Pause, Cancel and the report without timers of its own.
import type {
  FindProgress,
  FleetChange,
  FleetPreview,
  FleetRule,
  FleetRun,
  FleetStart,
  FleetUsage,
  ProjectRow,
} from '../lib/types';

type RowState = FleetRun['rows'][number]['state'];

/** Long enough for a test's clicks to land between two projects. */
const STEP_MS = 40;

export class FakeFleet {
  /** Tenant ids `fleetSelect` answers. */
  ruleAnswer: string[] = [];
  lastRule: FleetRule | null = null;
  lastChanges: FleetChange[] = [];
  /** Outcome by project name for the run; "applied" when absent. */
  outcomes: Record<string, RowState> = {};
  /** Tenant ids marked production. */
  production: string[] = [];
  /** What "find projects with this value" answers; it reads one project of `total` per step. */
  usage: FleetUsage | null = null;
  #findCancelled = false;
  runs: FleetRun[] = [];
  #plans = new Map<string, FleetPreview>();
  #seq = 0;
  #listeners = new Set<(run: FleetRun) => void>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private projects: () => ProjectRow[]) {}

  select(rule: FleetRule): string[] {
    this.lastRule = rule;
    return [...this.ruleAnswer];
  }

  preview(tenantIds: string[], changes: FleetChange[]): FleetPreview {
    this.lastChanges = structuredClone(changes);
    const planId = `plan-${++this.#seq}`;
    const preview: FleetPreview = {
      planId,
      title: 'Set A',
      projects: tenantIds.map((tenantId) => {
        const row = this.projects().find((p) => p.tenantId === tenantId);
        return {
          tenantId,
          projectId: row?.id ?? '',
          name: row?.name ?? tenantId,
          production: this.production.includes(tenantId),
          status: 'changes',
          changes: [{ key: 'A', kind: 'changed' }],
          notes: [],
        };
      }),
    };
    this.#plans.set(planId, preview);
    return structuredClone(preview);
  }

  start(start: FleetStart): FleetRun {
    const plan = this.#plans.get(start.planId);
    if (!plan) throw new Error('no such plan');
    const run: FleetRun = {
      id: `fleet-${++this.#seq}`,
      profileId: 'p',
      title: plan.title,
      phase: 'running',
      over: false,
      current: null,
      cancelRequested: false,
      stopOnFailure: start.stopOnFailure,
      watchHealth: start.watchHealth,
      rows: plan.projects.map((p) => ({
        tenantId: p.tenantId,
        projectId: p.projectId,
        name: p.name,
        production: p.production,
        state: 'pending',
        reason: null,
        snapshot: null,
      })),
      tally: { done: 0, total: 0, applied: 0, nothingToChange: 0, conflict: 0, failed: 0, notReached: 0 },
      startedAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    recount(run);
    this.runs = [run, ...this.runs];
    this.#drive();
    return structuredClone(run);
  }

  listen(cb: (run: FleetRun) => void): () => void {
    this.#listeners.add(cb);
    return () => this.#listeners.delete(cb);
  }

  /** Steps the running runs until none is left running (paused ones wait for Resume). */
  #drive(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.advance();
      if (this.runs.some((r) => r.phase === 'running')) this.#drive();
    }, STEP_MS);
  }

  /** One project further, unless paused or over; listeners hear of each run that moved. */
  advance(): void {
    for (const run of this.runs) {
      if (run.phase !== 'running') continue;
      const next = run.rows.find((r) => r.state === 'pending');
      if (!next || run.cancelRequested) {
        for (const r of run.rows) if (r.state === 'pending') r.state = 'notReached';
        run.phase = run.cancelRequested ? 'cancelled' : 'finished';
        run.over = true;
        run.current = null;
      } else {
        next.state = this.outcomes[next.name] ?? 'applied';
        if (next.state === 'conflict') next.reason = 'Someone changed this project’s variables since the preview.';
        if (next.state === 'applied') next.snapshot = 1;
      }
      recount(run);
      for (const cb of this.#listeners) cb(structuredClone(run));
    }
  }

  list(): FleetRun[] {
    return structuredClone(this.runs);
  }

  control(id: string, control: 'pause' | 'resume' | 'cancel'): FleetRun {
    const run = this.runs.find((r) => r.id === id);
    if (!run) throw new Error('no such run');
    if (control === 'pause') run.phase = 'paused';
    if (control === 'resume') {
      run.phase = 'running';
      this.#drive();
    }
    if (control === 'cancel') run.cancelRequested = true;
    recount(run);
    return structuredClone(run);
  }

  /** A search for `usage`: progress after each step, as Rust's channel sends it; Cancel stops it. */
  async find(onProgress: (progress: FindProgress) => void): Promise<FleetUsage> {
    const usage = structuredClone(this.usage!);
    this.#findCancelled = false;
    let read = 0;
    onProgress({ read, total: usage.total });
    while (read < usage.total && !this.#findCancelled) {
      await new Promise((resolve) => setTimeout(resolve, STEP_MS));
      read += 1;
      onProgress({ read, total: usage.total });
    }
    return this.#findCancelled ? { ...usage, read, cancelled: true } : usage;
  }

  cancelFind(): void {
    this.#findCancelled = true;
  }

  undo(id: string): FleetPreview {
    const run = this.runs.find((r) => r.id === id);
    const applied = (run?.rows ?? []).filter((r) => r.state === 'applied').map((r) => r.tenantId);
    const preview = this.preview(applied, []);
    preview.title = `Undo of “${run?.title ?? ''}”`;
    this.#plans.set(preview.planId, preview);
    return preview;
  }
}

/** What Rust's `FleetRun::recount` does after every change of a run. */
function recount(run: FleetRun): void {
  const count = (state: RowState) => run.rows.filter((r) => r.state === state).length;
  run.tally = {
    done: run.rows.length - count('pending') - count('applying'),
    total: run.rows.length,
    applied: count('applied'),
    nothingToChange: count('nothingToChange'),
    conflict: count('conflict'),
    failed: count('failed'),
    notReached: count('notReached'),
  };
}
