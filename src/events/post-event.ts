/**
 * One webhook delivery attempt: a signed JSON POST to the checked address, with a deadline.
 * Success is any 2xx answer; everything else (another status, a refused target, a network error,
 * the timeout) is a failure with a short reason for the dead-letter list.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from '../domain/webhook-signature.js';
import { parseWebhookUrl, resolveTarget, WebhookTargetRefused } from './target-check.js';

export interface PostEventRequest {
  url: string;
  secret: string;
  eventId: string;
  body: string;
  /** Unix seconds signed into the header. */
  timestamp: number;
  timeoutMs: number;
  allowPrivateTargets: boolean;
}

export type PostOutcome = { ok: true; status: number } | { ok: false; reason: string };

/** Longest reason kept. */
const MAX_REASON = 300;

export async function postEvent(request: PostEventRequest): Promise<PostOutcome> {
  let target;
  let url: URL;
  try {
    url = parseWebhookUrl(request.url);
    target = await resolveTarget(url, request.allowPrivateTargets);
  } catch (error) {
    if (error instanceof WebhookTargetRefused) return { ok: false, reason: error.message };
    throw error;
  }
  // Connect to the address that was checked, never to a second lookup's answer.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    const req = transport.request(
      url,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body),
          'user-agent': 'Tandem-Webhooks/1',
          [SIGNATURE_HEADER]: signatureHeader(request.secret, request.timestamp, request.body),
          [EVENT_ID_HEADER]: request.eventId,
        },
        timeout: request.timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, reason: `HTTP ${status}` });
        });
        res.on('error', (error) => resolve({ ok: false, reason: error.message.slice(0, MAX_REASON) }));
      },
    );
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)), request.timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, reason: (error.code ? `${error.code}: ` : '').concat(error.message).slice(0, MAX_REASON) }));
    req.on('close', () => clearTimeout(deadline));
    req.end(request.body);
  });
}
