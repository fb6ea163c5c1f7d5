import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LOOPS_PAGE_SIZE } from '../../src/api/console/loops.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { listedLoops, noticesOf, openConsoleHarness, type ConsoleHarness, type ConsoleSignIn } from './console-harness.js';

for (const dialect of DIALECTS) {
  describe(`console human loops (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: ConsoleHarness;
    let admin: ConsoleSignIn;
    before(async () => {
      h = await openConsoleHarness(dialect);
      await h.addAdmin('root@example.com', 'admin');
      await h.createFlow('alpha');
      await h.createFlow('beta', { taskCount: 2 });
      // 60 loops on alpha and 10 on beta, one millisecond apart (several share a millisecond too).
      for (let i = 0; i < 70; i++) {
        if (i % 3 !== 1) h.resources.clock.advance(1);
        await h.startLoop(i < 60 ? 'alpha' : 'beta', `${i < 60 ? 'a' : 'b'}-${String(i).padStart(3, '0')}`);
      }
      admin = await h.consoleSignIn('root@example.com');
    });
    after(() => h?.close());

    test('one list across flow definitions, newest first, paged with a cursor that visits every loop once', async () => {
      const seen: string[] = [];
      let url: string | undefined = '/console/loops';
      let pages = 0;
      while (url) {
        const page = await h.get(url, admin);
        assert.equal(page.statusCode, 200, page.body);
        const names = listedLoops(page.body);
        assert.ok(names.length <= LOOPS_PAGE_SIZE);
        seen.push(...names);
        pages += 1;
        const next = /<a rel="next" href="([^"]+)">/.exec(page.body);
        url = next ? next[1]!.replaceAll('&amp;', '&') : undefined;
      }
      assert.equal(pages, 2);
      assert.equal(seen.length, 70);
      assert.equal(new Set(seen).size, 70);
      assert.equal(seen[0], 'b-069');
      assert.deepEqual(seen.slice(-2).sort(), ['a-000', 'a-001']);
    });

    test('filters: flow, status, name prefix (any case), creation dates; a bad filter is a 400 page', async () => {
      const beta = listedLoops((await h.get('/console/loops?flow=beta', admin)).body);
      assert.equal(beta.length, 10);
      assert.ok(beta.every((n) => n.startsWith('b-')));
      assert.deepEqual(listedLoops((await h.get('/console/loops?q=A-05', admin)).body).sort(), ['a-050', 'a-051', 'a-052', 'a-053', 'a-054', 'a-055', 'a-056', 'a-057', 'a-058', 'a-059']);
      assert.deepEqual(listedLoops((await h.get('/console/loops?q=%25', admin)).body), []);
      assert.deepEqual(listedLoops((await h.get('/console/loops?q=-05', admin)).body), []); // a prefix, not a substring
      assert.equal(listedLoops((await h.get('/console/loops?status=Completed', admin)).body).length, 0);
      assert.equal(listedLoops((await h.get('/console/loops?from=2026-11-25&to=2026-11-25&flow=beta', admin)).body).length, 10);
      assert.equal(listedLoops((await h.get('/console/loops?from=2026-11-26', admin)).body).length, 0);
      const bad = await h.get('/console/loops?status=Bogus', admin);
      assert.equal(bad.statusCode, 400);
      assert.match(noticesOf(bad.body), /Unknown status/);
      assert.equal((await h.get('/console/loops?after=garbage', admin)).statusCode, 400);
    });

    test('start a loop by hand: a bad input shows the operation\'s error; a good one opens its page', async () => {
      const bad = await h.post('/console/loops', admin, { flow: 'alpha', name: 'by-hand', input: '[1,2]' });
      assert.equal(bad.statusCode, 400);
      assert.match(noticesOf(bad.body), /InputContent must be a JSON object/);
      const ok = await h.post('/console/loops', admin, { flow: 'alpha', name: 'by-hand', input: '{"text":"hello"}' });
      assert.equal(ok.statusCode, 303);
      const detail = await h.get(String(ok.headers.location), admin);
      assert.match(detail.body, /<h1>Human loop by-hand<\/h1>/);
      assert.match(detail.body, /&#34;text&#34;: &#34;hello&#34;/);
      assert.match(detail.body, /human-loop\.created/);
    });

    test('a stuck loop says why: TaskCount 2 on a team with no active worker', async () => {
      const detail = await h.get('/console/loops/b-065', admin);
      assert.match(detail.body, /Why it is not progressing/);
      assert.match(detail.body, /needs 2 different workers but the work team has 0 active workers/);
    });

    test('stop then delete from the detail page, through the same operations as the API', async () => {
      const stop = await h.post('/console/loops/a-010/stop', admin);
      assert.equal(stop.statusCode, 303);
      const row = await h.resources.store.db.selectFrom('human_loops').select('status').where('name', '=', 'a-010').executeTakeFirstOrThrow();
      assert.equal(row.status, 'Stopped');
      const running = await h.post('/console/loops/a-011/delete', admin);
      assert.equal(running.statusCode, 400);
      assert.match(noticesOf(running.body), /only Completed, Failed or Stopped human loops can be deleted/);
      const del = await h.post('/console/loops/a-010/delete', admin);
      assert.equal(del.statusCode, 303);
      assert.equal((await h.get('/console/loops/a-010', admin)).statusCode, 404);
      const events = await h.resources.store.db.selectFrom('outbox').select('topic').where('subject_arn', 'like', '%/a-010').orderBy('id').execute();
      assert.deepEqual(events.map((e) => e.topic), ['human-loop.created', 'human-loop.stopping', 'human-loop.stopped', 'human-loop.deleted']);
    });

    test('bulk stop asks for confirmation first, then stops exactly the filtered loops', async () => {
      const ask = await h.post('/console/loops/bulk', admin, { action: 'stop', flow: 'beta' });
      assert.equal(ask.statusCode, 200);
      assert.match(ask.body, /<h1>Stop 10 human loops\?<\/h1>/);
      let inProgress = await h.resources.store.db.selectFrom('human_loops').select('name').where('status', '=', 'InProgress').execute();
      assert.equal(inProgress.filter((r) => r.name.startsWith('b-')).length, 10);
      const done = await h.post('/console/loops/bulk', admin, { action: 'stop', flow: 'beta', confirm: 'yes' });
      assert.equal(done.statusCode, 303);
      assert.match(decodeURIComponent(String(done.headers.location)), /Stopped 10 of 10/);
      inProgress = await h.resources.store.db.selectFrom('human_loops').select('name').where('status', '=', 'InProgress').execute();
      assert.equal(inProgress.filter((r) => r.name.startsWith('b-')).length, 0);
      assert.ok(inProgress.filter((r) => r.name.startsWith('a-')).length >= 58);
      const del = await h.post('/console/loops/bulk', admin, { action: 'delete', flow: 'beta', confirm: 'yes' });
      assert.match(decodeURIComponent(String(del.headers.location)), /Deleted 10 of 10/);
      assert.equal(listedLoops((await h.get('/console/loops?flow=beta', admin)).body).length, 0);
    });
  });
}
