import { DirectoryError } from '../domain/errors';
import { hashPassword } from '../security/password-hash';

/**
 * `crowdgate hash-password`: reads one password on standard input (the first line; a trailing
 * newline is not part of it) and prints its stored form for `applications[].passwordHash`.
 */
export async function hashPasswordCommand(input: NodeJS.ReadableStream, out: NodeJS.WritableStream): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (password === '') throw new DirectoryError('INVALID_ARGUMENT', 'no password on standard input');
  out.write(`${await hashPassword(password)}\n`);
}
