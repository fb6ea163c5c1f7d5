/**
 * Seeded fuzz of the worker portal's JSON API and pages (as a signed-in worker with its CSRF
 * token) and of the SigV4-signed admin API: random JSON of every type and depth (past the
 * nesting bound too), malformed JSON, wrong content types and hostile path segments. Every answer
 * must be a 4xx or a success, never a 5xx. A failure names the seed and the request, so
 * `TANDEM_FUZZ_SEED=<seed> npm test -- fuzz-portal-admin` replays it; TANDEM_FUZZ_REQUESTS sets
 * the number of requests per dialect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccessKey } from '../../src/security/access-keys.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { signedInject, type SigningKey } from '../support/signed-inject.js';
import { openPortalHarness, postApi, type PortalHarness, type SignedIn } from '../portal/portal-harness.js';

const SEED = Number(process.env.TANDEM_FUZZ_SEED ?? 0x7a11d3);
const REQUESTS = Number(process.env.TANDEM_FUZZ_REQUESTS ?? 3000);

/** Percent-encoded, lone surrogates (which encodeURIComponent refuses) sent as their raw UTF-8 bytes' escapes. */
function pathText(text: string): string {
  return text.replace(/[\s\S]/gu, (c) => (/[\ud800-\udfff]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c)));
}

/** mulberry32: small, fast and the same sequence for a seed on every platform. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Generator {
  constructor(private readonly next: () => number) {}
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  string(): string {
    return this.pick([
      () => '',
      () => 'a'.repeat(this.int(5000)),
      () => '\u0000\u0001\u001f',
      () => '\ud800 lone surrogate',
      () => '👩‍👩‍👧 ünïcödé',
      () => '../../etc/passwd',
      () => '<script>alert(1)</script>',
      () => '{{ 7 | times: 6 }}',
      () => "' OR 1=1 --",
      () => '__proto__',
      () => 'reviewers',
      () => 'someone@example.com',
      () => String(this.next()),
    ])();
  }
  /** Nodes left for the value being built: random trees of random depth would otherwise explode. */
  private budget = 0;
  json(depth: number): unknown {
    this.budget = 200;
    return this.value(depth);
  }
  private value(depth: number): unknown {
    if (depth <= 0 || --this.budget <= 0 || this.chance(0.35)) {
      return this.pick([
        () => null,
        () => this.chance(0.5),
        () => this.pick([0, -0, 1, -1, 1e308, -1e308, 2 ** 53 + 1, 0.1, Number('123456789012345678901234567890')]),
        () => this.string(),
      ])();
    }
    if (this.chance(0.5)) return Array.from({ length: this.int(4) }, () => this.value(depth - 1));
    const object: Record<string, unknown> = {};
    for (let i = this.int(5); i > 0; i--) object[this.pick(['answer', 'submissionId', 'email', 'teams', 'name', 'password', 'constructor', 'x', this.string()])] = this.value(depth - 1);
    return object;
  }
  /** One value nested `depth` levels, each level an array or an object, around the bound. */
  chain(depth: number): unknown {
    let value: unknown = this.string();
    for (let i = 0; i < depth; i++) value = this.chance(0.5) ? [value] : { a: value };
    return value;
  }
  /** JSON text: usually a random value, sometimes deeper than the bound, sometimes broken. */
  body(shape: () => unknown): string {
    return this.pick([
      () => JSON.stringify(shape()),
      () => JSON.stringify(shape()),
      () => JSON.stringify(shape()),
      () => JSON.stringify(this.json(6)),
      () => '['.repeat(90 + this.int(20_000)) + ']'.repeat(this.int(3) === 0 ? 0 : 90 + this.int(20_000)),
      () => '{"answer":' + '{"a":'.repeat(90 + this.int(5000)) + '1' + '}'.repeat(90 + this.int(5000)) + '}',
      () => '',
      () => '{',
      () => '{"answer":}',
      () => 'null',
      () => '"text"',
      () => '\uFEFF{}',
    ])();
  }
  segment(known: string[]): string {
    return this.pick([
      () => this.pick(known),
      () => pathText(this.string()).slice(0, 2000),
      () => '%00',
      () => '..%2F..%2Fadmin',
      () => '%E0%A4%A',
      () => 'x'.repeat(3000),
      () => '0123456789abcdef',
    ])();
  }
}

interface Probe {
  method: string;
  url: string;
  contentType?: string;
  body?: string;
}

for (const dialect of DIALECTS) {
  describe(`fuzz: portal and admin routes (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: PortalHarness;
    let key: SigningKey;
    let session: SignedIn;
    const taskIds: string[] = [];
    const workerIds: string[] = [];

    before(async () => {
      h = await openPortalHarness(dialect);
      const created = await createAccessKey(h.resources, h.resources.caller.accountId);
      key = { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
      await h.createFlow('fuzz-flow', { taskCount: 3 });
      for (let i = 0; i < 20; i++) await h.startLoop('fuzz-flow', `fuzz-loop-${i}`);
      await h.addWorker('fuzzer@example.com');
      for (let i = 0; i < 3; i++) workerIds.push(await h.addWorker(`target-${i}@example.com`));
      session = await h.signIn('fuzzer@example.com');
      const claimed = await postApi(h.app, '/portal/api/tasks/next', session);
      taskIds.push(claimed.json().task.taskId as string);
    });
    after(() => h?.close());

    test(`${REQUESTS} random requests (seed ${SEED}): no 5xx`, { timeout: 110_000 }, async (t) => {
      const g = new Generator(random(SEED));
      const contentType = () => g.pick(['application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']);
      const portal = (): Probe => {
        const task = g.segment(taskIds);
        // Sign-in and invite answers cost a password hash each (~50 ms here): drawn rarely.
        const action = g.chance(0.03) ? g.pick(['invite', 'sign-in']) : g.pick(['next', 'resume', 'answer', 'answer', 'answer', 'release', 'heartbeat', 'leave', 'frame', 'work']);
        if (action === 'next') return { method: 'POST', url: '/portal/api/tasks/next', contentType: contentType(), body: g.body(() => g.json(3)) };
        if (action === 'frame') return { method: 'GET', url: `/portal/tasks/${task}/frame` };
        if (action === 'work') return { method: 'GET', url: `/portal/work?${pathText(g.string()).slice(0, 500)}=1` };
        if (action === 'invite') return { method: g.pick(['GET', 'POST']), url: `/portal/invite/${g.segment(['abc'])}`, contentType: contentType(), body: g.body(() => ({ password: g.string() })) };
        if (action === 'sign-in') return { method: 'POST', url: '/portal/sign-in', contentType: contentType(), body: g.body(() => ({ email: g.string(), password: g.string() })) };
        const body = g.body(() => (action === 'answer' ? { answer: g.chance(0.2) ? g.chain(90 + g.int(20)) : g.json(g.int(8)), submissionId: g.chance(0.5) ? g.string() : undefined } : g.json(3)));
        return { method: 'POST', url: `/portal/api/tasks/${task}/${action}`, contentType: contentType(), body };
      };
      const admin = (): Probe => {
        const id = g.segment(workerIds);
        return g.pick<() => Probe>([
          () => ({ method: 'POST', url: '/admin/workers', contentType: contentType(), body: g.body(() => ({ email: g.chance(0.3) ? `f${g.int(1e6)}@example.com` : g.string(), teams: g.chance(0.5) ? [h.team] : g.json(3), name: g.json(1), ...(g.chance(0.03) ? { password: g.json(1) } : {}) })) }),
          () => ({ method: 'GET', url: `/admin/workers?${pathText(g.string()).slice(0, 300)}=${g.int(9)}` }),
          () => ({ method: 'GET', url: `/admin/workers/${id}` }),
          () => ({ method: 'POST', url: `/admin/workers/${id}/${g.pick(['deactivate', 'activate', 'invite', 'nothing'])}`, contentType: contentType(), body: g.body(() => g.json(3)) }),
          () => ({ method: 'PUT', url: `/admin/workers/${id}/teams`, contentType: contentType(), body: g.body(() => ({ teams: g.chance(0.5) ? [h.team] : g.json(4) })) }),
          () => ({ method: g.pick(['DELETE', 'PATCH']), url: `/admin/${g.segment(['workers'])}` }),
        ])();
      };

      const statuses = new Map<number, number>();
      const slowest = new Map<string, number>();
      for (let i = 0; i < REQUESTS; i++) {
        const isAdmin = g.chance(0.45);
        const probe = isAdmin ? admin() : portal();
        const headers: Record<string, string> = probe.body !== undefined && probe.contentType ? { 'content-type': probe.contentType } : {};
        const startedAt = performance.now();
        const describeProbe = () => `request ${i} of seed ${SEED}: ${probe.method} ${probe.url.slice(0, 200)} (${probe.contentType}) ${String(probe.body).slice(0, 300)}`;
        const sent = (isAdmin
          ?  signedInject(h.app, key, h.resources.clock.now(), { method: probe.method, url: probe.url, headers, body: probe.body, service: 'tandem' })
          : h.app.inject({
              method: probe.method as 'GET',
              url: probe.url,
              headers: { ...headers, cookie: session.cookie, ...(g.chance(0.9) ? { 'x-csrf-token': session.csrfToken } : {}) },
              payload: probe.method === 'GET' ? undefined : probe.body,
            })
        );
        let timer: NodeJS.Timeout | undefined;
        const hung = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`${describeProbe()} got no answer in 10 s`)), 10_000);
        });
        const response = await Promise.race([sent, hung])
          .catch((error: unknown) => {
            throw new Error(`${describeProbe()} threw`, { cause: error });
          })
          .finally(() => clearTimeout(timer));
        const took = performance.now() - startedAt;
        const kind = `${probe.method} ${probe.url.split('/').slice(1, 5).map((p) => (p.length > 12 ? '…' : p)).join('/')}`;
        slowest.set(kind, (slowest.get(kind) ?? 0) + took);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        assert.ok(
          response.statusCode < 500,
          `${describeProbe()} → ${response.statusCode} ${response.body.slice(0, 300)}`,
        );
      }
      t.diagnostic(`statuses ${JSON.stringify([...statuses])}; ms by route ${JSON.stringify([...slowest].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [k, Math.round(v)]))}`);
      // The run reached the routes' own logic, not only the front door's refusals.
      assert.ok((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0) > REQUESTS / 20, `statuses: ${JSON.stringify([...statuses])}`);
      assert.ok((statuses.get(400) ?? 0) > REQUESTS / 20, `statuses: ${JSON.stringify([...statuses])}`);
    });
  });
}
