// The fake keeps the Api's contract that components rely on: every failure is an ApiError.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/types';
import { cloudProfile, createFake, err, makeProject } from './fake-api';
import { draftOf } from './env-draft';

describe('the fake Api', () => {
  it('rejects with an ApiError: its own failures, scripted ones, and anything else it throws', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1)] });
    fake.env.respond('envStage', () => {
      throw new Error('a broken script');
    });
    const failures = [
      fake.api.switchProfile('no-such-profile'),
      fake.api.envLoad('no-such-tenant'),
      fake.fail('listProjects', err('network', 'Offline.')).api.listProjects(),
      // A bug in the fake (here: a missing input) still rejects as the Api would: `internal`.
      fake.api.createProject(undefined as never),
      // So does a scripted answer that throws something else.
      fake.api.envStage(makeProject(1).tenantId!, []),
    ];
    for (const request of failures) {
      const e = await request.then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(ApiError);
    }
  });

  it('answers what the test scripts, in order, then the draft it last answered', async () => {
    const fake = createFake({ projects: [makeProject(1)] });
    const tenantId = makeProject(1).tenantId!;
    const staged = draftOf({ tenantId, vars: { A: '1' }, changes: [{ key: 'B', kind: 'added', oldValue: null, newValue: '2' }] });
    fake.env.respond('envStage', staged);
    expect(await fake.api.envStage(tenantId, [{ op: 'set', key: 'B', value: '2' }])).toEqual(staged);
    expect(await fake.api.envLoad(tenantId)).toEqual(staged);
    expect(await fake.api.envUnsaved()).toEqual([tenantId]);
  });
});
