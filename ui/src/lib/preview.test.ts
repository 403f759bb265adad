import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, taskLabel, taskRawName } from './preview';

describe('times', () => {
  it('formats durations', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
  });
  it('formats ages', () => {
    const now = Date.parse('2025-03-01T12:00:00Z');
    expect(formatAge('2025-03-01T11:59:50Z', now)).toBe('just now');
    expect(formatAge('2025-03-01T11:57:00Z', now)).toBe('3 min ago');
    expect(formatAge('2025-03-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAge('2025-02-28T12:00:00Z', now)).toBe('1 day ago');
    expect(formatAge('2025-02-20T12:00:00Z', now)).toBe('9 days ago');
    expect(formatAge(null, now)).toBe('—');
  });
});

describe('task names', () => {
  it('shows the label, the raw name beside it, and never "null"', () => {
    expect(taskLabel({ name: 'gh-validation', label: 'Fetch metadata and migrations from GitHub' })).toBe(
      'Fetch metadata and migrations from GitHub',
    );
    expect(taskRawName({ name: 'gh-validation', label: 'Fetch metadata and migrations from GitHub' })).toBe('gh-validation');
    expect(taskLabel({ name: 'new-step', label: 'new-step' })).toBe('new-step');
    expect(taskRawName({ name: 'new-step', label: 'new-step' })).toBeNull();
    expect(taskLabel({ name: '', label: 'Unnamed step' })).toBe('Unnamed step');
    expect(taskRawName({ name: '', label: 'Unnamed step' })).toBeNull();
    // Defensive: whatever arrives, nothing reads "null".
    const odd = { name: null, label: null } as unknown as { name: string; label: string };
    expect(taskLabel(odd)).toBe('Unnamed step');
    expect(taskRawName(odd)).toBeNull();
    expect(taskLabel({ name: 'null', label: '' })).toBe('Unnamed step');
  });
});
