import { randomBytes, randomInt } from 'node:crypto';
import type { SigningIdentity, SigningKeyLookup } from '../api/aws/sigv4.js';
import type { Resources } from '../resources.js';
import * as keys from '../store/access-keys.js';

export interface NewAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `TNDM` + 16 characters, the length and alphabet of AWS key ids, so tools that check both accept it. */
export function generateAccessKeyId(): string {
  let id = 'TNDM';
  for (let i = 0; i < 16; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export function generateSecretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/[+/]/g, (c) => (c === '+' ? 'x' : 'y'));
}

export async function createAccessKey(
  resources: Resources,
  accountId: string,
  options: { accessKeyId?: string | undefined; secretAccessKey?: string | undefined; description?: string } = {},
): Promise<NewAccessKey> {
  const accessKeyId = options.accessKeyId ?? generateAccessKeyId();
  const secretAccessKey = options.secretAccessKey ?? generateSecretAccessKey();
  await keys.insertAccessKey(resources.store.db, {
    access_key_id: accessKeyId,
    account_id: accountId,
    secret_encrypted: resources.secrets.seal(secretAccessKey),
    description: options.description ?? null,
    created_at: resources.clock.now(),
    revoked_at: null,
  });
  return { accessKeyId, secretAccessKey, accountId };
}

/**
 * Makes the configured root key (TANDEM_ACCESS_KEY_ID + TANDEM_SECRET_ACCESS_KEY) valid for the
 * account: created when new; when it exists, the configured secret wins and a revoked key is
 * re-activated, because the configuration is the operator's statement of which key must work.
 */
export async function ensureConfiguredKey(resources: Resources, accountId: string, accessKeyId: string, secret: string) {
  const existing = await keys.findAccessKey(resources.store.db, accessKeyId);
  if (!existing) {
    await createAccessKey(resources, accountId, { accessKeyId, secretAccessKey: secret, description: 'root key from configuration' });
    return;
  }
  if (existing.account_id !== accountId) {
    throw new Error(`Invalid configuration: access key ${accessKeyId} belongs to account ${existing.account_id}, not ${accountId}`);
  }
  await resources.store.db
    .updateTable('access_keys')
    .set({ secret_encrypted: resources.secrets.seal(secret), revoked_at: null })
    .where('access_key_id', '=', accessKeyId)
    .execute();
}

/** The secret of an active key, for showing the root key again on later starts. */
export async function readSecret(resources: Resources, accessKeyId: string): Promise<string | undefined> {
  const row = await keys.findAccessKey(resources.store.db, accessKeyId);
  return row && row.revoked_at === null ? resources.secrets.open(row.secret_encrypted) : undefined;
}

/** How long a verified key is trusted without asking the store again. */
const KEY_CACHE_MS = 5_000;

/**
 * The key lookup SigV4 verification uses. Decrypted keys are cached for a few seconds (one
 * indexed read and an AES open per request otherwise); revocation by another process therefore
 * takes effect within KEY_CACHE_MS, and at once in this process via `forget`.
 */
export function makeKeyLookup(resources: Resources): SigningKeyLookup & { forget(accessKeyId: string): void } {
  const cache = new Map<string, { identity: SigningIdentity | undefined; until: number }>();
  const lookup = async (accessKeyId: string) => {
    const now = resources.clock.now();
    const hit = cache.get(accessKeyId);
    if (hit && hit.until > now) return hit.identity;
    const row = await keys.findAccessKey(resources.store.db, accessKeyId);
    const identity =
      row && row.revoked_at === null
        ? { accessKeyId, accountId: row.account_id, secretAccessKey: resources.secrets.open(row.secret_encrypted) }
        : undefined;
    // Only known keys are cached: a key created just after a failed attempt works at once.
    if (identity) {
      if (cache.size > 10_000) cache.clear();
      cache.set(accessKeyId, { identity, until: now + KEY_CACHE_MS });
    }
    return identity;
  };
  const forget = (accessKeyId: string) => void cache.delete(accessKeyId);
  const registered = LOOKUPS.get(resources) ?? new Set();
  registered.add(forget);
  LOOKUPS.set(resources, registered);
  return Object.assign(lookup, { forget });
}

/** Every key cache made for a Resources, so a revocation in this process (the console) clears them all. */
const LOOKUPS = new WeakMap<Resources, Set<(accessKeyId: string) => void>>();

/** Revokes a key and drops it from this process's caches: its next request is refused at once. */
export async function revokeAccessKeyNow(resources: Resources, accessKeyId: string): Promise<boolean> {
  const revoked = await keys.revokeAccessKey(resources.store.db, accessKeyId, resources.clock.now());
  for (const forget of LOOKUPS.get(resources) ?? []) forget(accessKeyId);
  return revoked;
}
