// The fake keeps the Api's contract that components rely on: every failure is an ApiError.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../lib/types';
import { cloudProfile, createFake, err, makeProject } from './fake-api';

describe('the fake Api', () => {
  it('rejects with an ApiError: its own failures, scripted ones, and anything else it throws', async () => {
    const fake = createFake({ profiles: [cloudProfile()], projects: [makeProject(1)] });
    const failures = [
      fake.api.switchProfile('no-such-profile'),
      fake.api.envLoad('no-such-tenant'),
      fake.api.parseRepository(''),
      fake.fail('listProjects', err('network', 'Offline.')).api.listProjects(),
      // A bug in the fake (here: a missing input) still rejects as the Api would: `internal`.
      fake.api.createProject(undefined as never),
    ];
    for (const request of failures) {
      const e = await request.then(
        () => null,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(ApiError);
    }
  });
});
