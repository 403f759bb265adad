// Env drafts as Rust sends them (app_core::env::EnvDraft), built from what a test says. Nothing
// here decides anything: which keys look secret, the fingerprints, the issues, the changes and any
// conflict are given by the test, as Rust would have answered them.
import type { ApplyOutcome, ConflictEntry, EnvChange, EnvConflict, EnvDraft, EnvIssue, EnvSnapshot } from '../lib/types';

/** A value as the Cloud API stores it: a string, or any JSON value (shown as JSON text). */
export type EnvValue = string | number | boolean | null | EnvValue[] | { [k: string]: EnvValue };

/** The tenant of `makeProject(1)`, the project most env tests use. */
export const DEFAULT_TENANT = '20000000-0000-4000-8000-000000000001';

export interface DraftSpec {
  tenantId?: string;
  baseHash?: string;
  /** The base variables; a non-string value is sent as JSON text with `isJson`. */
  vars?: Record<string, EnvValue>;
  /** Base keys Rust flags as secret-looking. */
  secret?: string[];
  /** Fingerprints by key; a key not listed gets `fp-<key>`. */
  fingerprints?: Record<string, string>;
  changes?: EnvChange[];
  /** Staged keys whose new value Rust flags as secret-looking. */
  secretStaged?: string[];
  issues?: EnvIssue[];
  snapshots?: EnvSnapshot[];
  conflict?: EnvConflict | null;
  loadedAt?: string;
}

export function draftOf(spec: DraftSpec = {}): EnvDraft {
  const secret = new Set(spec.secret ?? []);
  return {
    tenantId: spec.tenantId ?? DEFAULT_TENANT,
    baseHash: spec.baseHash ?? 'hash-1',
    vars: Object.entries(spec.vars ?? {}).map(([key, v]) => ({
      key,
      value: typeof v === 'string' ? v : JSON.stringify(v),
      isJson: typeof v !== 'string',
      secretLike: secret.has(key),
      fingerprint: spec.fingerprints?.[key] ?? `fp-${key}`,
    })),
    changes: spec.changes ?? [],
    issues: spec.issues ?? [],
    secretStaged: spec.secretStaged ?? [],
    loadedAt: spec.loadedAt ?? '2026-01-01T12:00:00.000Z',
    snapshots: spec.snapshots ?? [],
    conflict: spec.conflict ?? null,
  };
}

export const added = (key: string, value: string): EnvChange => ({ key, kind: 'added', oldValue: null, newValue: value });
export const changed = (key: string, oldValue: string, newValue: string): EnvChange => ({ key, kind: 'changed', oldValue, newValue });
export const removed = (key: string, oldValue: string): EnvChange => ({ key, kind: 'removed', oldValue, newValue: null });

export const warningIssue = (key: string, message: string): EnvIssue => ({ key, severity: 'warning', message });
export const errorIssue = (key: string, message: string): EnvIssue => ({ key, severity: 'error', message });

/** A pending conflict as Rust records it in the draft. */
export function conflictOf(theirHash: string, conflicts: ConflictEntry[], mergedWithoutConflict: string[] = []): EnvConflict {
  return { theirHash, conflicts, mergedWithoutConflict };
}

/** A snapshot as the draft lists it: its id and the keys the apply changed. */
export function snapshotOf(id: number, applied: EnvChange[]): EnvSnapshot {
  return { id, takenAt: `2026-01-01T12:0${id}:00.000Z`, applied: applied.map(({ key, kind }) => ({ key, kind })) };
}

/** An apply that sent every change: `draft` is the draft afterwards, `undoSnapshot` the one it took. */
export function appliedOutcome(changes: EnvChange[], draft: EnvDraft, undoSnapshot = 1): ApplyOutcome {
  return { outcome: 'applied', hash: draft.baseHash, changes, undoSnapshot, confirmedAfterLostAnswer: false, draft };
}
