// Fleet env changes: the selection of projects, the change, its preview, the run and its report.
// Every rule (which projects a rule picks, what a change does where, the run's order, Pause and
// Cancel) is Rust's; this store keeps what the person chose and mirrors the run Rust drives. The
// run lives in Rust: leaving the screen does not stop it, and `load()` finds it again.
import {
  asApiError,
  type Api,
  type ApiError,
  type FleetChange,
  type FleetPreview,
  type FleetRule,
  type FleetRun,
  type FleetUsage,
  type ProjectRow,
  type Unlisten,
} from './types';

export type Stage = 'choose' | 'preview' | 'run';

/** Calls back before the next paint; `requestAnimationFrame` in the window. */
export type NextFrame = (callback: () => void) => void;

const nextAnimationFrame: NextFrame = (callback) =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => callback()) : setTimeout(callback, 16);

export class FleetStore {
  /** Tenant ids, in the order chosen (the run's order). */
  selected = $state.raw<string[]>([]);
  changes = $state.raw<FleetChange[]>([]);
  preview = $state.raw<FleetPreview | null>(null);
  /** Typed names of production projects, by tenant id. */
  confirmNames = $state<Record<string, string>>({});
  stopOnFailure = $state(false);
  watchHealth = $state(false);
  run = $state.raw<FleetRun | null>(null);
  usage = $state.raw<FleetUsage | null>(null);
  /** How far a running search got. */
  finding = $state.raw<{ read: number; total: number } | null>(null);
  busy = $state(false);
  error = $state.raw<ApiError | null>(null);

  #api: Api;
  #lastClicked: string | null = null;
  /** Rust's `FleetRunChanged` events, listened to from the first run shown until `stop()`. */
  #listening: Promise<void> | null = null;
  #unlisten: Unlisten | null = null;
  #stopped = false;
  /** Counts events, so a catch-up read never replaces what a newer event brought. */
  #events = 0;
  /**
   * The newest event's run, not shown yet. Rust announces every step (about two a project),
   * each the whole run; showing each one re-rendered the panel many times a frame and kept
   * keystrokes waiting, so the newest is shown once a frame (it carries everything before it).
   */
  #pending: FleetRun | null = null;
  #frameAsked = false;
  #nextFrame: NextFrame;

  constructor(api: Api, nextFrame: NextFrame = nextAnimationFrame) {
    this.#api = api;
    this.#nextFrame = nextFrame;
  }

  get stage(): Stage {
    if (this.run) return 'run';
    if (this.preview) return 'preview';
    return 'choose';
  }

  isSelected(tenantId: string): boolean {
    return this.selected.includes(tenantId);
  }

  /** A checkbox click; with Shift, the range from the last click in `visible` takes its state. */
  toggle(tenantId: string, visible: ProjectRow[], shift = false): void {
    const ids = visible.map((r) => r.tenantId).filter((t): t is string => !!t);
    const on = !this.isSelected(tenantId);
    let range = [tenantId];
    if (shift && this.#lastClicked && ids.includes(this.#lastClicked)) {
      const [a, b] = [ids.indexOf(this.#lastClicked), ids.indexOf(tenantId)].sort((x, y) => x - y);
      range = ids.slice(a!, b! + 1);
    }
    this.#set(range, on);
    this.#lastClicked = tenantId;
  }

  /** Selects every project of `visible` (e.g. all matching the search). */
  selectAll(visible: ProjectRow[]): void {
    this.#set(
      visible.map((r) => r.tenantId).filter((t): t is string => !!t),
      true,
    );
  }

  clear(): void {
    this.selected = [];
  }

  #set(ids: string[], on: boolean): void {
    if (on) this.selected = [...this.selected, ...ids.filter((id) => !this.selected.includes(id))];
    else this.selected = this.selected.filter((id) => !ids.includes(id));
  }

  /** Moves a selected project one place earlier (-1) or later (+1) in the run's order. */
  move(tenantId: string, by: -1 | 1): void {
    const i = this.selected.indexOf(tenantId);
    const j = i + by;
    if (i < 0 || j < 0 || j >= this.selected.length) return;
    const next = [...this.selected];
    [next[i], next[j]] = [next[j]!, next[i]!];
    this.selected = next;
  }

  async #call<T>(work: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    this.error = null;
    try {
      return await work();
    } catch (e) {
      this.error = asApiError(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** Replaces the selection with the projects `rule` picks (Rust decides). */
  async selectByRule(rule: FleetRule): Promise<void> {
    const ids = await this.#call(() => this.#api.fleetSelect(rule));
    if (ids) this.selected = ids;
  }

  async makePreview(): Promise<void> {
    const preview = await this.#call(() => this.#api.fleetPreview(this.selected, this.changes));
    if (preview) {
      this.preview = preview;
      this.confirmNames = {};
    }
  }

  backToChoose(): void {
    this.preview = null;
  }

  /** Production projects with changes whose name is not typed yet. */
  get namesMissing(): string[] {
    return (this.preview?.projects ?? [])
      .filter((p) => p.production && p.status === 'changes' && (this.confirmNames[p.tenantId] ?? '').trim() !== p.name)
      .map((p) => p.name);
  }

  async start(): Promise<void> {
    const preview = this.preview;
    if (!preview) return;
    const run = await this.#call(() =>
      this.#api.fleetStart({
        planId: preview.planId,
        confirmNames: { ...this.confirmNames },
        stopOnFailure: this.stopOnFailure,
        watchHealth: this.watchHealth,
      }),
    );
    if (run) this.follow(run);
  }

  /** Shows `run` and follows it through Rust's events until it ends. */
  follow(run: FleetRun): void {
    // Events of a run not shown yet were dropped, and the listener may be new: read the run once
    // more after listening. An answer about the run already followed (Pause, Resume, Cancel) is
    // newer than every event before it, and the listener has the ones after.
    const catchUp = !this.#listening || this.run?.id !== run.id;
    this.#pending = null;
    this.run = withUnchangedRows(this.run, run);
    if (catchUp) void this.#listen().then(() => this.refresh());
  }

  #listen(): Promise<void> {
    if (this.#listening) return this.#listening;
    this.#stopped = false;
    this.#listening = this.#api
      .onFleetRunChanged((changed) => {
        this.#events += 1;
        if (changed.id !== this.run?.id) return;
        this.#pending = changed;
        if (this.#frameAsked) return;
        this.#frameAsked = true;
        this.#nextFrame(() => this.#showPending());
      })
      .then((off) => {
        if (this.#stopped) off();
        else this.#unlisten = off;
      })
      .catch((e) => {
        this.error = asApiError(e);
      });
    return this.#listening;
  }

  #showPending(): void {
    this.#frameAsked = false;
    const pending = this.#pending;
    this.#pending = null;
    if (pending && pending.id === this.run?.id) this.run = withUnchangedRows(this.run, pending);
  }

  /** Reads the run shown once more: what changed before the listener was there. */
  async refresh(): Promise<void> {
    const id = this.run?.id;
    if (!id) return;
    const seen = this.#events;
    try {
      const runs = await this.#api.fleetRuns();
      const found = runs.find((r) => r.id === id);
      if (found && this.#events === seen && this.run?.id === id) this.run = withUnchangedRows(this.run, found);
    } catch (e) {
      this.error = asApiError(e);
    }
  }

  /** On opening the screen (or after a reload): the run still going, else the newest one's report. */
  async load(): Promise<void> {
    try {
      const runs = await this.#api.fleetRuns();
      const shown = runs.find((r) => !r.over) ?? runs[0];
      if (shown && !this.run && !this.preview && !this.changes.length) this.follow(shown);
    } catch {
      // Nothing to bring back.
    }
  }

  async control(control: 'pause' | 'resume' | 'cancel'): Promise<void> {
    const id = this.run?.id;
    if (!id) return;
    const run = await this.#call(() => this.#api.fleetControl(id, control));
    if (run) this.follow(run);
  }

  /** "Undo this fleet change…": the way back, as a new preview to review and run. */
  async undo(): Promise<void> {
    const id = this.run?.id;
    if (!id) return;
    const preview = await this.#call(() => this.#api.fleetUndo(id));
    if (preview) {
      this.run = null;
      this.preview = preview;
      this.confirmNames = {};
    }
  }

  /**
   * "Find projects with this value" for `key` of `tenantId` (the value stays in Rust). Rust
   * sends how far it got after each project read.
   */
  async findUsage(tenantId: string, key: string): Promise<void> {
    this.usage = null;
    this.finding = { read: 0, total: 0 };
    try {
      const usage = await this.#call(() =>
        this.#api.fleetFindUsage(tenantId, key, (progress) => {
          // A message that arrives after the answer is late news.
          if (this.finding) this.finding = { read: progress.read, total: progress.total };
        }),
      );
      if (usage) this.usage = usage;
    } finally {
      this.finding = null;
    }
  }

  cancelFind(): void {
    void this.#api.fleetUsageCancel();
  }

  /** "Rotate…": the projects where the value is used become the selection, the change a rotation. */
  rotate(newValue: string): void {
    const usage = this.usage;
    if (!usage) return;
    this.selected = usage.rows.map((r) => r.tenantId);
    this.changes = [{ op: 'rotate', valueFingerprint: usage.valueFingerprint, newValue }];
  }

  stop(): void {
    this.#stopped = true;
    this.#unlisten?.();
    this.#unlisten = null;
    this.#listening = null;
    this.#pending = null;
  }
}

/**
 * `next` with the rows that did not change since `shown` being `shown`'s own objects, so that
 * the report's keyed rows only update where a project moved on (one or two rows a step, not 200).
 */
export function withUnchangedRows(shown: FleetRun | null, next: FleetRun): FleetRun {
  if (!shown || shown.id !== next.id) return next;
  const before = new Map(shown.rows.map((row) => [row.tenantId, row]));
  const rows = next.rows.map((row) => {
    const old = before.get(row.tenantId);
    return old && sameRow(old, row) ? old : row;
  });
  return { ...next, rows };
}

type FleetRow = FleetRun['rows'][number];

function sameRow(a: FleetRow, b: FleetRow): boolean {
  return (
    a.projectId === b.projectId &&
    a.name === b.name &&
    a.production === b.production &&
    a.state === b.state &&
    (a.reason ?? null) === (b.reason ?? null) &&
    (a.snapshot ?? null) === (b.snapshot ?? null)
  );
}

export const ROW_LABELS: Record<FleetRun['rows'][number]['state'], string> = {
  pending: 'Waiting',
  applying: 'Applying…',
  applied: 'Applied',
  nothingToChange: 'Nothing to change',
  conflict: 'Conflict',
  failed: 'Failed',
  notReached: 'Not reached',
};

export const PLAN_LABELS: Record<FleetPreview['projects'][number]['status'], string> = {
  changes: 'Will change',
  alreadyAsAsked: 'Already as asked',
  doesNotApply: 'Does not apply',
  unreadable: 'Could not be read',
};
