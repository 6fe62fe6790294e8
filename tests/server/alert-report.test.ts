import { createLogger } from '../../src/logging/logger';
import { reportAlertsDaily } from '../../src/server/alert-report';
import type { DirectoryAlert } from '../../src/sync/directory-alerts';

describe('the alert report in the log', () => {
  test('once the start is done: one warning per alert, or one line saying all is well', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>), 'info');
    let release!: () => void;
    const ready = new Promise<void>((resolve) => (release = resolve));
    const alerts = new Map<string, DirectoryAlert[]>([
      ['corp', [{ code: 'AWAITING_APPROVAL', message: 'Run 7 waits for an administrator’s approval' }]],
      ['okta', []],
    ]);
    let reads = 0;
    let stop = () => {};
    const reported = new Promise<void>((resolve) => {
      stop = reportAlertsDaily(
        async () => {
          reads++;
          setImmediate(resolve);
          return alerts;
        },
        logger,
        ready,
      );
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(0); // not before the first runs and connection tests
    release();
    await reported;
    stop();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'directory needs attention',
        directory: 'corp',
        alert: 'AWAITING_APPROVAL',
        detail: 'Run 7 waits for an administrator’s approval',
      }),
    ]);
  });

  test('no alert: one info line', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>), 'info');
    await new Promise<void>((resolve) => {
      const stop = reportAlertsDaily(
        async () => {
          setImmediate(() => {
            stop();
            resolve();
          });
          return new Map([['corp', []]]);
        },
        logger,
        Promise.resolve(),
      );
    });
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', message: 'directory health: no alerts', directories: 1 }),
    ]);
  });
});
