import { describe, expect, it } from 'vitest';
import { endpointError, envKeyError, envRowErrors, isUuid, projectNameError, profileNameError } from './validation';

describe('validation', () => {
  it('project names: 3–40 lowercase letters, digits, hyphens; no hyphen at either end', () => {
    for (const ok of ['abc', 'my-app-2', 'a1b', 'a'.repeat(40), 'x-y']) expect(projectNameError(ok)).toBeNull();
    expect(projectNameError('ab')).toMatch(/at least 3/);
    expect(projectNameError('a'.repeat(41))).toMatch(/at most 40/);
    expect(projectNameError('-abc')).toMatch(/hyphen/);
    expect(projectNameError('abc-')).toMatch(/hyphen/);
    expect(projectNameError('Abc')).toMatch(/lowercase/);
    expect(projectNameError('a_b')).toMatch(/lowercase letters, digits and hyphens/);
    expect(projectNameError('a b')).toMatch(/lowercase letters, digits and hyphens/);
  });

  it('env keys: [A-Za-z_][A-Za-z0-9_]*', () => {
    for (const ok of ['A', '_x', 'HASURA_GRAPHQL_ADMIN_SECRET', 'a1']) expect(envKeyError(ok)).toBeNull();
    expect(envKeyError('')).toMatch(/Enter a key/);
    expect(envKeyError('1A')).toMatch(/digit/);
    expect(envKeyError('A-B')).toMatch(/letters, digits and underscores/);
    expect(envKeyError('A B')).toMatch(/letters, digits and underscores/);
  });

  it('env rows: duplicates flagged on the later row; blank rows ignored', () => {
    const errors = envRowErrors([
      { id: 1, key: 'A', value: '1' },
      { id: 2, key: 'B', value: '' },
      { id: 3, key: 'A', value: '2' },
      { id: 4, key: '', value: '' },
      { id: 5, key: '', value: 'orphan' },
    ]);
    expect([...errors.keys()]).toEqual([3, 5]);
    expect(errors.get(3)).toMatch(/Duplicate/);
  });

  it('uuids', () => {
    expect(isUuid('123e4567-e89b-12d3-a456-426614174000')).toBe(true);
    expect(isUuid('123E4567-E89B-12D3-A456-426614174000')).toBe(true);
    expect(isUuid('123e4567e89b12d3a456426614174000')).toBe(false);
    expect(isUuid('not-a-uuid')).toBe(false);
  });

  it('endpoints: https, or http on loopback only', () => {
    expect(endpointError('https://data.pro.hasura.io/v1/graphql')).toBeNull();
    expect(endpointError('http://127.0.0.1:4000/v1/graphql')).toBeNull();
    expect(endpointError('http://127.1.2.3/v1/graphql')).toBeNull();
    expect(endpointError('http://localhost:4000/v1/graphql')).toBeNull();
    expect(endpointError('http://[::1]:4000/v1/graphql')).toBeNull();
    expect(endpointError('http://example.com/v1/graphql')).toMatch(/only allowed/);
    expect(endpointError('http://10.0.0.1/v1/graphql')).toMatch(/only allowed/);
    expect(endpointError('ftp://x')).toMatch(/https/);
    expect(endpointError('nonsense')).toMatch(/full URL/);
    expect(endpointError('')).toMatch(/Enter/);
  });

  it('profile names', () => {
    expect(profileNameError('Work')).toBeNull();
    expect(profileNameError('  ')).toMatch(/name/);
    expect(profileNameError('x'.repeat(41))).toMatch(/40/);
  });
});
