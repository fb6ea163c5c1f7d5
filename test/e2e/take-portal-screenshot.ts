/**
 * Takes docs/portal-task.png: the task page at 1280×800 with the demo flow's task rendered, in
 * Debian Chromium, against a throwaway Tandem.
 *
 *   node --import tsx test/e2e/take-portal-screenshot.ts [output.png]
 */
import { fileURLToPath } from 'node:url';
import { StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { buildArn } from '../../src/domain/arns.js';
import { launchChromium } from '../support/environment.js';
import { startTestTandem } from '../support/tandem.js';
import { ensureWebBundles } from '../portal/web-bundles.js';
import { addPasswordWorker, signInAs, taskFrame } from './portal-browser.js';

const output = process.argv[2] ?? fileURLToPath(new URL('../../docs/portal-task.png', import.meta.url));

await ensureWebBundles();
const tandem = await startTestTandem('sqlite', { seedDemo: true });
const browser = await launchChromium();
try {
  const caller = { accountId: tandem.accountId, region: tandem.resources.config.region };
  await tandem.a2i.send(
    new StartHumanLoopCommand({
      HumanLoopName: 'review-4711',
      FlowDefinitionArn: buildArn('flow-definition', caller, 'demo-flow'),
      HumanLoopInput: {
        InputContent: JSON.stringify({
          text: 'The blender arrived two days late and the lid cracked on first use, but support replaced it without any fuss.',
        }),
      },
    }),
  );
  await addPasswordWorker(tandem, 'ana.reviewer@example.com', ['demo']);
  const { page } = await signInAs(browser, tandem, 'ana.reviewer@example.com');
  await taskFrame(page).getByRole('radiogroup').waitFor();
  await page.locator('#submit-task[hidden]').waitFor({ state: 'attached' }); // the task is ready: its own Submit shows
  await taskFrame(page).getByText('Neutral', { exact: true }).click();
  await page.screenshot({ path: output });
  process.stdout.write(`wrote ${output}\n`);
} finally {
  await browser.close();
  await tandem.stop();
}
