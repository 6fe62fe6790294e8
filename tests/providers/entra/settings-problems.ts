import { DirectoryError } from '../../../src/domain/errors';
import { parseEntraSettings } from '../../../src/providers/entra';

/** The problem lines of the CONFIGURATION error that parsing `raw` as directory corp's settings throws. */
export function settingsProblems(raw: unknown): string[] {
  try {
    parseEntraSettings(raw, 'corp');
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    expect((error as DirectoryError).code).toBe('CONFIGURATION');
    return (error as DirectoryError).message.split('\n');
  }
  throw new Error('expected a configuration error');
}
