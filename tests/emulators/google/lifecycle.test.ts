import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { startEmulator } from './helpers';

test('closing the emulator removes the work directory it made, key file included', async () => {
  const emu = await startEmulator({ tenant: { seed: 'google-lifecycle', users: 5, groups: 2 } });
  const workDir = dirname(emu.keyFile);
  expect(existsSync(emu.keyFile)).toBe(true);
  await emu.close();
  expect(existsSync(workDir)).toBe(false);
});
