import { getHeapStatistics } from 'node:v8';
import { HEAP_GROWING_PERCENT, tuneHeapGrowth } from '../../src/server/heap-tuning';

test('an explicit --heap-growing-percent from node or NODE_OPTIONS is left alone', () => {
  expect(tuneHeapGrowth(['--heap-growing-percent=80'], '')).toBe(false);
  expect(tuneHeapGrowth([], '--max-old-space-size=2048 --heap_growing_percent=80')).toBe(false);
});

test('otherwise the policy is applied, and the process keeps working', () => {
  expect(HEAP_GROWING_PERCENT).toBeGreaterThan(0);
  expect(tuneHeapGrowth(['--enable-source-maps'], '--max-old-space-size=2048')).toBe(true);
  expect(getHeapStatistics().used_heap_size).toBeGreaterThan(0);
});
