/**
 * Server-side request forgery guard for webhook URLs. A webhook makes Tandem send requests
 * wherever its URL points, so loopback, private, link-local and other non-public addresses are
 * refused unless `TANDEM_WEBHOOK_ALLOW_PRIVATE_TARGETS` is on. The check runs at registration
 * and again at every delivery on the addresses DNS gives then, and the request connects to the
 * checked address itself, so a name re-pointed at 127.0.0.1 after registration (DNS rebinding)
 * is refused too.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

export class WebhookTargetRefused extends Error {}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NON_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !NON_PUBLIC.check(mapped[1]!, 'ipv4');
  return !NON_PUBLIC.check(address, 'ipv6');
}

/** A URL Tandem may POST to, syntactically: http(s), a host, no credentials. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookTargetRefused(`'${text}' is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookTargetRefused('A webhook URL must be http or https.');
  if (url.username || url.password) throw new WebhookTargetRefused('A webhook URL must not carry credentials.');
  return url;
}

export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

/**
 * The address to connect to for `url`: the first DNS answer, after checking every answer is
 * public (a name with one private answer is refused outright rather than raced).
 */
export async function resolveTarget(url: URL, allowPrivate: boolean): Promise<ResolvedTarget> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  const answers = literal
    ? [{ address: host, family: literal }]
    : await lookup(host, { all: true, verbatim: true }).catch((error: NodeJS.ErrnoException) => {
        throw new WebhookTargetRefused(`'${host}' does not resolve (${error.code ?? error.message}).`);
      });
  if (answers.length === 0) throw new WebhookTargetRefused(`'${host}' does not resolve.`);
  if (!allowPrivate) {
    const blocked = answers.find((answer) => !isPublicAddress(answer.address));
    if (blocked) {
      throw new WebhookTargetRefused(
        `'${host}' resolves to ${blocked.address}, a loopback, private or reserved address; set TANDEM_WEBHOOK_ALLOW_PRIVATE_TARGETS=true to allow it.`,
      );
    }
  }
  const first = answers[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
