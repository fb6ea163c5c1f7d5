import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Encrypts stored secrets and signs opaque tokens with keys derived from one master key.
 *
 * Access-key secrets cannot be hashed: SigV4 verification recomputes an HMAC with the secret
 * itself. They are sealed with AES-256-GCM instead, under a key that lives outside the database
 * (`master.key` in the data directory, or `TANDEM_MASTER_KEY`), so a copy of the database alone
 * reveals no secret.
 */
export class SecretBox {
  readonly #encryptionKey: Buffer;
  readonly #tokenKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
    this.#encryptionKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tandem/secrets/v1', 32));
    this.#tokenKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tandem/tokens/v1', 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('unrecognised sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** HMAC-SHA256 for tamper-evident tokens (pagination, invites, signed URLs). */
  mac(data: string): Buffer {
    return createHmac('sha256', this.#tokenKey).update(data).digest();
  }
}

/**
 * The master key from configuration (hex or base64, 32 bytes), or from `{dataDir}/master.key`,
 * created with mode 0600 on first start. Several processes sharing one PostgreSQL must share it:
 * set TANDEM_MASTER_KEY for them.
 */
export function loadMasterKey(configured: string | undefined, keyFile: string): Buffer {
  if (configured) return decodeKey(configured, 'TANDEM_MASTER_KEY');
  if (existsSync(keyFile)) return decodeKey(readFileSync(keyFile, 'utf8').trim(), keyFile);
  const key = randomBytes(32);
  mkdirSync(dirname(keyFile), { recursive: true });
  writeFileSync(keyFile, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(keyFile, 0o600);
  return key;
}

function decodeKey(text: string, source: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`Invalid configuration: ${source} must hold a 32-byte key (64 hex digits)`);
  return key;
}
