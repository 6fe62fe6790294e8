import type { SyncControl } from '../sync/control';
import type { PasswordOutcome, ServingMetrics } from './serving-metrics';

const OUTCOMES: Record<string, PasswordOutcome> = {
  ok: 'valid',
  invalid: 'invalid',
  inactive: 'inactive',
  expired: 'expired',
  'mfa-required': 'mfa-required',
  unavailable: 'unavailable',
};

/** `control` with every password check counted by its outcome (a check that throws: `unavailable`). */
export function meteredControl(control: SyncControl, metrics: ServingMetrics): SyncControl {
  return {
    ...control,
    checkPassword: async (directoryId, login, password) => {
      try {
        const check = await control.checkPassword(directoryId, login, password);
        if (check) metrics.passwordChecked(OUTCOMES[check.kind] ?? 'unavailable');
        return check;
      } catch (error) {
        metrics.passwordChecked('unavailable');
        throw error;
      }
    },
  };
}
