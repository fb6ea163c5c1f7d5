/**
 * A real S3-compatible server on loopback for the external-store tests and the object-store
 * bench: the `s3rver` package, serving the S3 REST API from a directory. Its fixed credentials
 * are `S3RVER` / `S3RVER`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface RunningS3rver {
  endpoint: string;
  port: number;
  directory: string;
  /** A client of this server (path style, as s3rver needs on an IP address). */
  client(): S3Client;
  /** Stops answering; the directory and the port stay, so `start` brings the same data back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops and removes the directory. */
  dispose(): Promise<void>;
}

export async function startS3rver(buckets: string[] = []): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'tandem-s3rver-'));
  const options = { address: '127.0.0.1', directory, silent: true, configureBuckets: buckets.map((name) => ({ name })) };
  let server: S3rver | undefined = new S3rver({ ...options, port: 0 });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    port,
    directory,
    client() {
      const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    async stop() {
      await server?.close();
      server = undefined;
    },
    async start() {
      server = new S3rver({ ...options, configureBuckets: [], port });
      await server.run();
    },
    async dispose() {
      for (const client of clients) client.destroy();
      await server?.close();
      server = undefined;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
