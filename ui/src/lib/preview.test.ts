import { describe, expect, it } from 'vitest';
import {
  branchError,
  directoryError,
  formatAge,
  formatDuration,
  previewNameError,
  suggestName,
  taskLabel,
  taskRawName,
} from './preview';
import { parseRepositoryText } from '../test/fake-preview';

describe('previewNameError', () => {
  it('accepts 3–40 lowercase letters, digits and hyphens starting with a letter', () => {
    for (const ok of ['abc', 'feature-login', 'pr-42', 'a'.repeat(40), 'a1-b2']) expect(previewNameError(ok), ok).toBeNull();
  });
  it('says what is wrong', () => {
    expect(previewNameError('')).toMatch(/Enter a name/);
    expect(previewNameError('Feature')).toMatch(/lowercase/);
    expect(previewNameError('feat_x')).toMatch(/letters, digits and hyphens/);
    expect(previewNameError('1abc')).toMatch(/start with a letter/);
    expect(previewNameError('-abc')).toMatch(/start with a letter/);
    expect(previewNameError('abc-')).toMatch(/end with a hyphen/);
    expect(previewNameError('ab')).toMatch(/at least 3/);
    expect(previewNameError('a'.repeat(41))).toMatch(/at most 40 characters \(it has 41\)/);
  });
});

describe('suggestName', () => {
  it('makes a valid name from a branch', () => {
    expect(suggestName('feature/Login_Page')).toBe('feature-login-page');
    expect(suggestName('123-fix')).toBe('fix');
    expect(suggestName('dependabot/npm_and_yarn/' + 'x'.repeat(50))).toHaveLength(40);
    expect(previewNameError(suggestName('dependabot/npm_and_yarn/' + 'x'.repeat(50)))).toBeNull();
  });
  it('falls back to the repository or a generic prefix when the branch is too short', () => {
    expect(suggestName('v2', 'shop')).toBe('shop-v2');
    expect(suggestName('main', 'shop')).toBe('shop-main');
    expect(suggestName('main')).toBe('main');
    expect(suggestName('', '')).toBe('preview');
    expect(suggestName('7', '')).toBe('preview');
    for (const b of ['', '-', '__', 'main', 'ab-']) expect(previewNameError(suggestName(b)), b).toBeNull();
  });
});

describe('branch and directory', () => {
  it('checks them', () => {
    expect(branchError('')).toMatch(/Enter the branch/);
    expect(branchError('feature x')).toMatch(/no spaces/);
    expect(branchError('feature/x')).toBeNull();
    expect(directoryError('')).toBeNull();
    expect(directoryError('.')).toBeNull();
    expect(directoryError('hasura')).toBeNull();
    expect(directoryError('/hasura')).toMatch(/without a leading/);
    expect(directoryError('a/../b')).toMatch(/“\.\.”/);
  });
});

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

describe('the fake parser mirrors the contract', () => {
  it('reads owner/repo and URLs', () => {
    expect(parseRepositoryText('hasura/demo')).toMatchObject({ owner: 'hasura', repo: 'demo' });
    expect(parseRepositoryText('https://github.com/hasura/demo.git')).toMatchObject({ owner: 'hasura', repo: 'demo', branch: null });
    expect(parseRepositoryText('https://github.com/hasura/demo/tree/feat-x/apps/hasura')).toEqual({
      owner: 'hasura',
      repo: 'demo',
      branch: 'feat-x',
      directory: 'apps/hasura',
    });
    expect(parseRepositoryText('git@github.com:hasura/demo.git')).toMatchObject({ owner: 'hasura', repo: 'demo' });
    expect(() => parseRepositoryText('not a repo')).toThrow(/owner\/repo/);
  });
});
