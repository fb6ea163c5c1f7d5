/**
 * Takes the console screenshots in docs/: the loops list, a loop's page, the template editor and
 * the queue page, at 1280×860 in Debian Chromium against a throwaway Tandem with the demo seeded.
 *
 *   node --import tsx test/e2e/take-console-screenshots.ts [output-dir]
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { buildArn } from '../../src/domain/arns.js';
import { claimNextTask, submitAnswer } from '../../src/operations/reviews.js';
import { workerIdentity } from '../../src/operations/worker-sessions.js';
import { findWorkerById } from '../../src/store/workers.js';
import { launchChromium } from '../support/environment.js';
import { startTestTandem } from '../support/tandem.js';
import { addPasswordWorker } from './portal-browser.js';
import { addConsoleAdmin, ensureConsoleBundles, signInToConsole } from './console-browser.js';

const outDir = process.argv[2] ?? fileURLToPath(new URL('../../docs/', import.meta.url));

await ensureConsoleBundles();
const tandem = await startTestTandem('sqlite', { seedDemo: true });
const browser = await launchChromium();
try {
  const caller = { accountId: tandem.accountId, region: tandem.resources.config.region };
  const texts = [
    'The blender arrived two days late and the lid cracked on first use.',
    'Fantastic service, will order again!',
    'It works. Nothing special.',
    'Packaging was damaged but the contents were fine.',
    'Terrible: the app crashes every time I open it.',
    'Support answered within minutes and fixed my issue.',
  ];
  for (const [i, text] of texts.entries()) {
    await tandem.a2i.send(
      new StartHumanLoopCommand({
        HumanLoopName: `review-${4711 + i}`,
        FlowDefinitionArn: buildArn('flow-definition', caller, 'demo-flow'),
        HumanLoopInput: { InputContent: JSON.stringify({ text }) },
      }),
    );
  }
  const ana = await addPasswordWorker(tandem, 'ana.reviewer@example.com', ['demo']);
  const worker = workerIdentity((await findWorkerById(tandem.resources.store.db, ana))!);
  for (const sentiment of ['Negative', 'Positive']) {
    const task = await claimNextTask(tandem.resources, worker);
    if (task) await submitAnswer(tandem.resources, worker, task.taskId, { sentiment: { label: sentiment }, comment: '' });
  }
  await claimNextTask(tandem.resources, worker);
  await addConsoleAdmin(tandem, 'ops@example.com');
  const { page, close } = await signInToConsole(browser, tandem, 'ops@example.com');
  await page.screenshot({ path: join(outDir, 'console-loops.png') });
  await page.goto(`${tandem.url}/console/loops/review-4711`);
  await page.screenshot({ path: join(outDir, 'console-loop.png'), fullPage: true });
  await page.goto(`${tandem.url}/console/task-uis/new?example=sentiment`);
  await page.frameLocator('#preview-frame').getByRole('radiogroup').waitFor();
  await page.frameLocator('#preview-frame').getByText('Positive', { exact: true }).click();
  await page.getByRole('button', { name: 'Show answer' }).click();
  await page.locator('#answer-json').filter({ hasText: 'answerContent' }).waitFor();
  await page.screenshot({ path: join(outDir, 'console-editor.png') });
  await page.goto(`${tandem.url}/console/queues`);
  await page.screenshot({ path: join(outDir, 'console-queues.png') });
  await close();
  process.stdout.write(`wrote console-*.png to ${outDir}\n`);
} finally {
  await browser.close();
  await tandem.stop();
}
