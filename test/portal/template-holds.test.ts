/**
 * A task UI stored before Tandem checked templates (written here straight into the store) uses
 * an element Tandem does not define: its loops are never offered to reviewers. The loop waits
 * InProgress, `checkStoredTemplates` (behind `tandem templates check`) names the task UI, the
 * reason and the waiting loop, and once the template is usable the loop is offered again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REVIEW_HOOKS } from '../../src/api/review-hooks.js';
import { describeHumanLoop, stopHumanLoop } from '../../src/operations/human-loops.js';
import { checkStoredTemplates } from '../../src/operations/template-holds.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { SIMPLE_TEMPLATE } from '../support/fixtures.js';
import { openPortalHarness, postApi, type PortalHarness, type SignedIn } from './portal-harness.js';

const BROKEN = SIMPLE_TEMPLATE.replace('</crowd-form>', '  <crowd-bounding-bx name="box" src="x.png"></crowd-bounding-bx>\n</crowd-form>');

for (const dialect of DIALECTS) {
  describe(`loops whose template would lose answers wait (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let h: PortalHarness;
    before(async () => {
      h = await openPortalHarness(dialect);
    });
    after(() => h?.close());

    async function claim(session: SignedIn): Promise<{ taskId: string } | null> {
      const response = await postApi(h.app, '/portal/api/tasks/next', session);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().task as { taskId: string } | null;
    }

    async function setTemplate(uiName: string, template: string): Promise<void> {
      await h.resources.store.db.updateTable('human_task_uis').set({ template }).where('name', '=', uiName).execute();
    }

    test('held, listed with the reason, stoppable, and offered again once the template is usable', async () => {
      await h.createFlow('boxes');
      await setTemplate('boxes-ui', BROKEN);
      await h.createFlow('fine');
      await h.startLoop('boxes', 'box-1');
      await h.startLoop('boxes', 'box-2');
      await h.startLoop('fine', 'fine-1');
      await h.addWorker('ana@example.com');
      const ana = await h.signIn('ana@example.com');

      const offered = await claim(ana);
      assert.ok(offered, 'the usable loop is offered');
      const frame = await h.app.inject({ method: 'GET', url: `/portal/tasks/${offered.taskId}/frame`, headers: { cookie: ana.cookie } });
      assert.doesNotMatch(frame.body, /crowd-bounding-bx/, 'the offered task is the usable one');
      await postApi(h.app, `/portal/api/tasks/${offered.taskId}/release`, ana);
      assert.equal(await claim(ana), null, 'nothing else: both broken loops are held, not offered');

      const caller = h.resources.caller;
      assert.equal((await describeHumanLoop(h.resources, caller, 'box-1')).HumanLoopStatus, 'InProgress', 'the loop waits');
      const reports = await checkStoredTemplates(h.resources);
      assert.deepEqual(
        reports.map((r) => ({ ui: r.humanTaskUiName, held: r.heldLoops, problems: r.problems })),
        [
          {
            ui: 'boxes-ui',
            held: 2,
            problems: [
              {
                Code: 'TemplateUnknownElement',
                Message: 'Unknown element <crowd-bounding-bx> at line 7, column 3: Tandem does not define it, so its answer would be lost',
              },
            ],
          },
        ],
      );

      await stopHumanLoop(h.resources, caller, 'box-2', REVIEW_HOOKS.onStopped);
      assert.equal((await describeHumanLoop(h.resources, caller, 'box-2')).HumanLoopStatus, 'Stopped');
      assert.equal((await checkStoredTemplates(h.resources))[0]?.heldLoops, 1, 'a stopped loop no longer waits');

      await setTemplate('boxes-ui', SIMPLE_TEMPLATE); // as after an upgrade that defines the element
      const reopened = await checkStoredTemplates(h.resources);
      assert.deepEqual(
        reopened.map((r) => ({ ui: r.humanTaskUiName, reopened: r.reopenedSlots, problems: r.problems.length })),
        [{ ui: 'boxes-ui', reopened: 1, problems: 0 }],
      );
      assert.deepEqual(await checkStoredTemplates(h.resources), [], 'nothing left to report');
      await h.addWorker('bo@example.com');
      assert.ok(await claim(await h.signIn('bo@example.com')), 'the loop is offered again');
    });
  });
}
