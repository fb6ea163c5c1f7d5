/**
 * Response timestamps per protocol: the A2I runtime (restJson1, `date-time`) sends RFC 3339
 * strings, SageMaker (awsJson1_1, no format trait) epoch seconds as numbers. The JS SDK
 * rejects the other form, so operations return Dates and this converts them on the way out.
 */
export function serializeTimestamps(value: unknown, format: 'date-time' | 'epoch-seconds'): unknown {
  if (value instanceof Date) return format === 'date-time' ? value.toISOString() : value.getTime() / 1000;
  if (Array.isArray(value)) return value.map((item) => serializeTimestamps(item, format));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = serializeTimestamps(item, format);
    }
    return out;
  }
  return value;
}
