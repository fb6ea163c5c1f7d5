import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { TandemConfig } from '../config.js';
import { serializeRequest } from '../security/log-redaction.js';

/**
 * Paths pino replaces with `[Redacted]` wherever a caller logs them: credentials in headers and
 * the secrets Tandem handles. Signed URLs are redacted by their serializers (log-redaction.ts).
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'secretAccessKey',
  '*.secretAccessKey',
  'token',
  '*.token',
  'password',
  '*.password',
];

/**
 * Tandem's logger: JSON lines (one object per line, for a collector) or pretty one-liners for a
 * person, on standard output by default. `auto` picks pretty when standard output is a
 * terminal. Levels are written as words (`"level":"info"`), times as ISO 8601.
 *
 * @example
 * const logger = createLogger({ logLevel: 'info', logFormat: 'json' });
 */
export function createLogger(
  config: Pick<TandemConfig, 'logLevel' | 'logFormat'>,
  options: { destination?: DestinationStream; bindings?: Record<string, unknown> } = {},
): Logger {
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY === true);
  const output = options.destination ?? pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level: config.logLevel,
      base: { pid: process.pid, ...options.bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: REDACTED_PATHS,
      // Signed links carry their credential in the query string; logs keep the path only.
      serializers: { req: serializeRequest, err: pino.stdSerializers.err },
    },
    pretty ? prettyStream(output) : output,
  );
}

/** Fields a pretty line shows in its fixed columns, or leaves out. */
const PRETTY_OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

/**
 * One readable line per JSON log line:
 * `12:00:01.234 INFO  SageMaker.CreateFlowDefinition 200 operation=… status=200 durationMs=4.1`.
 */
export function formatPrettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = String(entry.level ?? '').toUpperCase().padEnd(5);
  const fields = Object.entries(entry)
    .filter(([name, value]) => !PRETTY_OMITTED.has(name) && value !== undefined)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? (/[\s"=]/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value)}`);
  let line = `${time} ${level} ${String(entry.msg ?? '')}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}`;
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err) line += `\n    ${err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`}`.replace(/\n/g, '\n    ');
  return line;
}

function prettyStream(output: DestinationStream): DestinationStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString('utf8');
      for (const json of text.split('\n')) if (json !== '') output.write(`${formatPrettyLine(json)}\n`);
      done();
    },
  });
}
