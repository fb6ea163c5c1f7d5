import { createHash, type Hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { PayloadMode } from './s3-auth.js';
import { S3Error } from './s3-errors.js';

/** Longest chunk-size line or trailer section accepted in an aws-chunked body. */
const MAX_FRAMING_LINE_BYTES = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;

/** The checksums S3 clients send that Node can compute; CRC32C and CRC64NVME are accepted unchecked. */
type ChecksumAlgorithm = 'crc32' | 'sha1' | 'sha256';
const CHECKED_ALGORITHMS: readonly ChecksumAlgorithm[] = ['crc32', 'sha1', 'sha256'];

export interface BodyLimits {
  maxBytes: number;
}

/**
 * The request body as the object's bytes, checked while they stream: aws-chunked framing
 * removed, at most `maxBytes`, exactly the declared length, and matching every digest the client
 * sent (x-amz-content-sha256, Content-MD5, x-amz-checksum-* in a header or a trailer). A
 * mismatch fails the stream before it ends, so the store never commits the object.
 */
export function checkedBody(raw: Readable, headers: IncomingHttpHeaders, payload: PayloadMode, limits: BodyLimits): Readable {
  const declared = declaredLength(headers, payload, limits);
  const contentMd5 = contentMd5Of(headers);
  const trailers = new Map<string, string>();
  const verifier = new BodyVerifier({ payload, declared, maxBytes: limits.maxBytes, contentMd5, headers, trailers });
  raw.on('error', (error) => verifier.destroy(new S3Error('IncompleteBody', `The request body was cut off (${error.message}).`)));
  raw.on('aborted', () => verifier.destroy(new S3Error('IncompleteBody', 'The client closed the connection before sending the whole body.')));
  if (payload.kind === 'chunked-unsigned') {
    const decoder = new AwsChunkedDecoder(trailers);
    decoder.on('error', (error) => verifier.destroy(error));
    raw.pipe(decoder).pipe(verifier);
  } else {
    raw.pipe(verifier);
  }
  return verifier;
}

/**
 * The object's length from the headers, refused up front when over the limit so a client is not
 * left uploading gigabytes only to be told no.
 */
export function declaredLength(headers: IncomingHttpHeaders, payload: PayloadMode, limits: BodyLimits): number | undefined {
  const name = payload.kind === 'chunked-unsigned' ? 'x-amz-decoded-content-length' : 'content-length';
  const text = single(headers[name]);
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) throw new S3Error('InvalidArgument', `${name} must be a number of bytes.`, { ArgumentName: name });
  const length = Number(text);
  if (length > limits.maxBytes) {
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', {
      ProposedSize: String(length),
      MaxSizeAllowed: String(limits.maxBytes),
    });
  }
  return length;
}

function contentMd5Of(headers: IncomingHttpHeaders): Buffer | undefined {
  const text = single(headers['content-md5']);
  if (text === undefined) return undefined;
  const digest = Buffer.from(text, 'base64');
  if (digest.length !== 16 || digest.toString('base64') !== text.trim()) {
    throw new S3Error('InvalidDigest', 'The Content-MD5 you specified is not valid.');
  }
  return digest;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

interface VerifierOptions {
  payload: PayloadMode;
  declared: number | undefined;
  maxBytes: number;
  contentMd5: Buffer | undefined;
  headers: IncomingHttpHeaders;
  /** Filled by the aws-chunked decoder before this stream ends. */
  trailers: Map<string, string>;
}

/**
 * Passes the body on one chunk late: the last chunk leaves only once every check has passed, so
 * a store that is sent the body as it arrives (an external S3 store, told the length up front)
 * never receives a complete body Tandem refuses, and never commits it.
 */
class BodyVerifier extends Transform {
  private received = 0;
  private held: Buffer | undefined;
  private readonly sha256: Hash | undefined;
  private readonly md5: Hash | undefined;
  private readonly sha1: Hash | undefined;
  private readonly checksumSha256: Hash | undefined;
  private crc = 0;
  private readonly wanted: ReadonlySet<ChecksumAlgorithm>;

  constructor(private readonly options: VerifierOptions) {
    super();
    this.sha256 = options.payload.kind === 'sha256' ? createHash('sha256') : undefined;
    this.md5 = options.contentMd5 ? createHash('md5') : undefined;
    // Which checksum the client will send is known from the headers before any byte arrives.
    const trailerNames = (single(options.headers['x-amz-trailer']) ?? '').toLowerCase().split(',').map((name) => name.trim());
    this.wanted = new Set(
      CHECKED_ALGORITHMS.filter((algorithm) => options.headers[`x-amz-checksum-${algorithm}`] !== undefined || trailerNames.includes(`x-amz-checksum-${algorithm}`)),
    );
    this.sha1 = this.wanted.has('sha1') ? createHash('sha1') : undefined;
    this.checksumSha256 = this.wanted.has('sha256') ? createHash('sha256') : undefined;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.options.maxBytes) {
      done(new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', { MaxSizeAllowed: String(this.options.maxBytes) }));
      return;
    }
    this.sha256?.update(chunk);
    this.md5?.update(chunk);
    this.sha1?.update(chunk);
    this.checksumSha256?.update(chunk);
    if (this.wanted.has('crc32')) this.crc = crc32(chunk, this.crc);
    const previous = this.held;
    this.held = chunk;
    done(null, previous);
  }

  override _flush(done: TransformCallback): void {
    const problem = this.problem();
    if (problem) {
      done(problem);
      return;
    }
    done(null, this.held);
  }

  private problem(): S3Error | null {
    const { declared, payload, contentMd5, headers, trailers } = this.options;
    if (declared !== undefined && this.received !== declared) {
      return new S3Error('IncompleteBody', `You did not provide the number of bytes the request declared (${declared}); ${this.received} arrived.`);
    }
    if (payload.kind === 'sha256' && this.sha256!.digest('hex') !== payload.hex) {
      return new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    if (contentMd5 && !this.md5!.digest().equals(contentMd5)) {
      return new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
    for (const algorithm of this.wanted) {
      const name = `x-amz-checksum-${algorithm}`;
      const expected = single(headers[name]) ?? trailers.get(name);
      if (expected === undefined) return new S3Error('InvalidRequest', `The ${name} trailer was announced but not sent.`);
      if (this.checksum(algorithm) !== expected.trim()) {
        return new S3Error('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`);
      }
    }
    return null;
  }

  private checksum(algorithm: ChecksumAlgorithm): string {
    if (algorithm === 'sha1') return this.sha1!.digest('base64');
    if (algorithm === 'sha256') return this.checksumSha256!.digest('base64');
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(this.crc >>> 0);
    return bytes.toString('base64');
  }
}

/**
 * `Content-Encoding: aws-chunked` without chunk signatures (STREAMING-UNSIGNED-PAYLOAD-TRAILER):
 * `{hex size}\r\n{bytes}\r\n` repeated, a `0\r\n` chunk, then `name:value\r\n` trailers and an
 * empty line. Passes the bytes on and records the trailers.
 */
export class AwsChunkedDecoder extends Transform {
  private state: 'size' | 'data' | 'data-end' | 'trailers' | 'done' = 'size';
  private line = Buffer.alloc(0);
  private remaining = 0;
  private trailerBytes = 0;

  constructor(private readonly trailers: Map<string, string>) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.state === 'done' ? null : new S3Error('IncompleteBody', 'The aws-chunked body ended before its final chunk and trailers.'));
  }

  private consume(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - at);
        this.push(chunk.subarray(at, at + take));
        at += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      if (this.state === 'done') {
        if (chunk.subarray(at).some((byte) => byte !== 0x0d && byte !== 0x0a)) throw malformed('bytes after the trailers');
        return;
      }
      const newline = chunk.indexOf(0x0a, at);
      const end = newline === -1 ? chunk.length : newline + 1;
      this.line = Buffer.concat([this.line, chunk.subarray(at, end)]);
      at = end;
      if (this.line.length > MAX_FRAMING_LINE_BYTES) throw malformed('a framing line is too long');
      if (newline === -1) continue;
      const text = this.line.toString('latin1').replace(/\r?\n$/, '');
      this.line = Buffer.alloc(0);
      this.onLine(text);
    }
  }

  private onLine(text: string): void {
    switch (this.state) {
      case 'size': {
        const size = /^([0-9a-fA-F]{1,12})(;.*)?$/.exec(text);
        if (!size) throw malformed(`'${text.slice(0, 40)}' is not a chunk size`);
        if (size[2]?.includes('chunk-signature')) throw new S3Error('NotImplemented', 'Signed aws-chunked bodies are not supported.');
        this.remaining = parseInt(size[1]!, 16);
        this.state = this.remaining === 0 ? 'trailers' : 'data';
        return;
      }
      case 'data-end':
        if (text !== '') throw malformed('a chunk is longer than its size');
        this.state = 'size';
        return;
      case 'trailers': {
        if (text === '') {
          this.state = 'done';
          return;
        }
        this.trailerBytes += text.length;
        if (this.trailerBytes > MAX_TRAILER_BYTES) throw malformed('the trailers are too long');
        const colon = text.indexOf(':');
        if (colon <= 0) throw malformed(`'${text.slice(0, 40)}' is not a trailer`);
        this.trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
        return;
      }
      default:
        return;
    }
  }
}

function malformed(detail: string): S3Error {
  return new S3Error('IncompleteBody', `The aws-chunked body is malformed: ${detail}.`);
}
