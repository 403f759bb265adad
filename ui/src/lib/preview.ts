// Pure helpers of the preview-app screens: the words and times the timeline shows. The rules
// (fields checked as typed, the suggested name, a pasted .env block) are Rust's, asked through
// the Api.
import type { JobState, PreviewAppState, RunPhase, TaskState, TaskView } from './types';

/** "0 s", "12 s", "1 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "just now", "3 min ago", "2 h ago", "5 days ago". */
export function formatAge(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  return d === 1 ? '1 day ago' : `${d} days ago`;
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : timeFmt.format(t);
}

/** What a task row shows as its name: never empty, never "null". */
export function taskLabel(task: Pick<TaskView, 'name' | 'label'>): string {
  const label = typeof task.label === 'string' ? task.label.trim() : '';
  if (label && label !== 'null') return label;
  const name = typeof task.name === 'string' ? task.name.trim() : '';
  return name && name !== 'null' ? name : 'Unnamed step';
}

/** The raw name to show beside the label, when it adds something. */
export function taskRawName(task: Pick<TaskView, 'name' | 'label'>): string | null {
  const name = typeof task.name === 'string' ? task.name.trim() : '';
  if (!name || name === 'null' || name === taskLabel(task)) return null;
  return name;
}

export const TASK_STATE: Record<TaskState, { icon: string; text: string }> = {
  pending: { icon: '○', text: 'Waiting' },
  running: { icon: '◔', text: 'Running' },
  succeeded: { icon: '✓', text: 'Done' },
  failed: { icon: '✕', text: 'Failed' },
};

export const JOB_STATE: Record<JobState, { icon: string; text: string }> = {
  running: { icon: '◔', text: 'Running' },
  succeeded: { icon: '✓', text: 'Succeeded' },
  failed: { icon: '✕', text: 'Failed' },
  skipped: { icon: '⤼', text: 'Skipped' },
};

export const APP_STATE: Record<PreviewAppState, { icon: string; text: string }> = JOB_STATE;

export const PHASE_TEXT: Record<RunPhase, string> = {
  creating: 'Creating the project',
  deploying: 'Deploying from GitHub',
  succeeded: 'Ready',
  failed: 'Failed',
  skipped: 'Skipped — a newer creation took over',
  gaveUp: 'Stopped watching',
  lost: 'Job lost',
};

export function isTerminal(phase: RunPhase): boolean {
  return phase !== 'creating' && phase !== 'deploying';
}

/** The wizard step that holds each `invalidInput.field` of preview_create. */
export const FIELD_STEP: Record<string, 1 | 2 | 3> = {
  repository: 1,
  branch: 1,
  directory: 1,
  githubToken: 1,
  name: 2,
  cloud: 2,
  region: 2,
  plan: 2,
  envs: 3,
};
