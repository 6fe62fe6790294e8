import { LookupBatcher } from '../../src/store/postgres/lookup-batcher';
import { LookupCache, lookupKey } from '../../src/store/postgres/lookup-cache';

/** The PostgreSQL store's one-name lookups: batched across requests, cached while changes are heard. */
describe('LookupBatcher', () => {
  test('lookups of one turn become one load per set of directories; each gets its own names, duplicates included', async () => {
    const loads: Array<[readonly number[], readonly string[]]> = [];
    const rows = [
      { dir: 1, name: 'alice' },
      { dir: 2, name: 'alice' },
      { dir: 1, name: 'bob' },
    ];
    const batcher = new LookupBatcher<{ dir: number; name: string }>(
      async (directoryIds, names) => {
        loads.push([directoryIds, names]);
        return rows.filter((r) => directoryIds.includes(r.dir) && names.includes(r.name));
      },
      (row) => row.name,
    );
    const answers = await Promise.all([
      batcher.find([1, 2], 'alice'),
      batcher.find([1, 2], 'bob'),
      batcher.find([1, 2], 'alice'),
      batcher.find([2], 'bob'),
      batcher.find([1, 2], 'nobody'),
    ]);
    expect(loads).toEqual([
      [
        [1, 2],
        ['alice', 'bob', 'nobody'],
      ],
      [[2], ['bob']],
    ]);
    expect(answers).toEqual([[rows[0], rows[1]], [rows[2]], [rows[0], rows[1]], [], []]);
    // Each caller gets an array of its own.
    expect(answers[0]).not.toBe(answers[2]);
    // A later turn is a new batch.
    await batcher.find([1], 'bob');
    expect(loads.length).toBe(3);
  });

  test('a failed load fails every lookup of its batch, and only those', async () => {
    const batcher = new LookupBatcher<string>(
      async (directoryIds) => {
        if (directoryIds[0] === 9) throw new Error('the store does not answer');
        return ['x'];
      },
      () => 'x',
    );
    const [failed, fine] = await Promise.allSettled([batcher.find([9], 'x'), batcher.find([1], 'x')]);
    expect(failed).toMatchObject({ status: 'rejected', reason: { message: 'the store does not answer' } });
    expect(fine).toEqual({ status: 'fulfilled', value: ['x'] });
  });
});

describe('LookupCache', () => {
  test('keeps answers while listening, forgets them on clear, and never keeps an answer loaded across a change', async () => {
    let listening = true;
    const cache = new LookupCache<string>(2, () => listening);
    let loads = 0;
    const load = async () => [`v${++loads}`];
    expect(await cache.get(lookupKey([1], 'a'), load)).toEqual(['v1']);
    expect(await cache.get(lookupKey([1], 'a'), load)).toEqual(['v1']);
    expect(loads).toBe(1);
    cache.clear();
    expect(await cache.get(lookupKey([1], 'a'), load)).toEqual(['v2']);

    // A change while a load is under way: its answer is returned, not kept.
    let release!: () => void;
    const slow = cache.get(lookupKey([1], 'b'), async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return ['stale'];
    });
    cache.clear();
    release();
    expect(await slow).toEqual(['stale']);
    expect(await cache.get(lookupKey([1], 'b'), load)).toEqual(['v3']);

    // Not listening: nothing is kept.
    listening = false;
    cache.clear();
    await cache.get(lookupKey([1], 'c'), load);
    await cache.get(lookupKey([1], 'c'), load);
    expect(loads).toBe(5);
    expect(cache.size).toBe(0);
  });

  test('bounded: the oldest entry goes first; keys of different directory lists differ', async () => {
    const cache = new LookupCache<number>(2, () => true);
    await cache.get(lookupKey([1], 'a'), async () => [1]);
    await cache.get(lookupKey([1, 2], 'a'), async () => [2]);
    await cache.get(lookupKey([2], 'a'), async () => [3]);
    expect(cache.size).toBe(2);
    expect(await cache.get(lookupKey([1], 'a'), async () => [4])).toEqual([4]);
    expect(await cache.get(lookupKey([1, 2], 'a'), async () => [5])).toEqual([5]); // evicted by [1] coming back
  });
});
