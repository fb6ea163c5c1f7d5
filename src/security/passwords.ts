/**
 * Worker passwords, hashed with scrypt (memory-hard: each guess costs 16 MiB of memory).
 *
 * The stored form carries its parameters, so they can be raised later without invalidating old
 * hashes: `scrypt$<log2 N>$<r>$<p>$<salt base64url>$<hash base64url>`.
 *
 * @example
 * const stored = await hashPassword('correct horse battery');
 * await verifyPassword('correct horse battery', stored); // true
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Shortest password a worker may choose. */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest accepted password, in characters (hashing a megabyte per request would be a DoS lever). */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * N = 2^14, r = 8, p = 1: 16 MiB per hash. Measured on the 2-core build machine under load
 * (node 20, `scryptSync`, 7 runs): 2^14 → 88 ms min / 109 ms median; 2^15 → 164 / 229 ms, over the
 * 100 ms sign-in budget. Stored hashes keep their own parameters, so raising these later only
 * affects new passwords.
 */
const DEFAULT_PARAMS = { log2N: 14, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Stored hashes with larger parameters are refused rather than computed (a tampered row must not exhaust memory). */
const MAX_LOG2N = 20;
const MAX_R = 16;
const MAX_P = 4;

interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, DEFAULT_PARAMS, HASH_BYTES);
  const { log2N, r, p } = DEFAULT_PARAMS;
  return ['scrypt', log2N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. Constant-time comparison. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed || password.length > MAX_PASSWORD_LENGTH) return false;
  const actual = await derive(password, parsed.salt, parsed.params, parsed.hash.length);
  return timingSafeEqual(actual, parsed.hash);
}

/**
 * Burns the time of one verification. Sign-in calls it when no worker has the email, so the
 * response time does not reveal which emails exist.
 */
export async function verifyNothing(password: string): Promise<void> {
  await derive(password.slice(0, MAX_PASSWORD_LENGTH), DUMMY_SALT, DEFAULT_PARAMS, HASH_BYTES);
}

const DUMMY_SALT = randomBytes(SALT_BYTES);

/** Why `password` cannot be chosen, or undefined when it can. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  if (password.trim().length === 0) return 'The password must not be only spaces.';
  return undefined;
}

function parseStored(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [log2N, r, p] = parts.slice(1, 4).map((n) => Number(n)) as [number, number, number];
  if (![log2N, r, p].every(Number.isInteger)) return undefined;
  if (log2N < 1 || log2N > MAX_LOG2N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const hash = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { params: { log2N, r, p }, salt, hash };
}

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  const N = 2 ** params.log2N;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 2 * 128 * N * params.r * params.p + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
