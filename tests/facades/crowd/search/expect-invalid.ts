import { DirectoryError } from '../../../../src/domain/errors';

/** Runs `fn` and asserts it throws DirectoryError INVALID_ARGUMENT with a message matching `message`. */
export function expectInvalid(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DirectoryError);
  expect((caught as DirectoryError).code).toBe('INVALID_ARGUMENT');
  expect((caught as DirectoryError).message).toMatch(message);
}
