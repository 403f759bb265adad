import { describe, expect, it } from 'vitest';
import { ProjectsStore } from './projects.svelte';
import { createFake, err, makeProject } from '../test/fake-api';

describe('ProjectsStore', () => {
  it('ignores a stale response after reset (another profile became active)', async () => {
    const fake = createFake({ projects: [makeProject(1)] });
    const store = new ProjectsStore(fake.api);
    const release = fake.hold('listProjects');
    const pending = store.load();
    store.reset();
    release();
    await pending;
    expect(store.rows).toEqual([]);
    expect(store.status).toBe('idle');
  });

  it('keeps the last rows when a refresh fails', async () => {
    const fake = createFake({ projects: [makeProject(1), makeProject(2)] });
    const store = new ProjectsStore(fake.api);
    await store.load();
    fake.fail('listProjects', err('network', 'Offline.'));
    await store.load();
    expect(store.status).toBe('error');
    expect(store.error?.message).toBe('Offline.');
    expect(store.rows).toHaveLength(2);
  });

  it('search needs every word to match; sort toggles direction', async () => {
    const fake = createFake({
      projects: [
        makeProject(1, { name: 'shop-prod', region: 'eu-central-1' }),
        makeProject(2, { name: 'shop-staging', region: 'us-east-2' }),
        makeProject(3, { name: 'blog', region: 'eu-central-1' }),
      ],
    });
    const store = new ProjectsStore(fake.api);
    await store.load();
    store.query = 'shop eu-central';
    expect(store.visible.map((r) => r.name)).toEqual(['shop-prod']);
    store.query = '';
    store.setSort('name');
    expect(store.visible.map((r) => r.name)).toEqual(['shop-staging', 'shop-prod', 'blog']);
  });

  it('sorts and filters 5,000 rows quickly', async () => {
    const fake = createFake({ projects: Array.from({ length: 5000 }, (_, i) => makeProject(i)) });
    const store = new ProjectsStore(fake.api);
    await store.load();
    const t0 = performance.now();
    expect(store.visible).toHaveLength(5000);
    store.setSort('created');
    expect(store.visible[0]!.name).toBe('project-4999');
    store.query = 'project-12';
    expect(store.visible.length).toBe(100); // project-1200 … project-1299
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('upsert, patch and remove', async () => {
    const fake = createFake({ projects: [makeProject(1)] });
    const store = new ProjectsStore(fake.api);
    await store.load();
    store.upsert(makeProject(2));
    store.patch(makeProject(1).id, { name: 'renamed' });
    expect(store.find(makeProject(1).id)?.name).toBe('renamed');
    store.remove(makeProject(2).id);
    expect(store.rows).toHaveLength(1);
  });
});
