import { DescribeHumanLoopCommand, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { S3Client } from '@aws-sdk/client-s3';
import { claimNextTask, submitAnswer } from '../../src/operations/reviews.js';
import { addReviewer } from './built-in-flows.js';
import { createReviewSetup } from './fixtures.js';
import { TEST_REGION, type Credentials, type TestTandem } from './tandem.js';

/** The JS SDK's S3 client pointed at Tandem's own S3 API, path style, as the README shows. */
export function tandemS3Client(tandem: TestTandem, credentials: Credentials = tandem.credentials): S3Client {
  return new S3Client({ endpoint: tandem.url, region: TEST_REGION, forcePathStyle: true, credentials, maxAttempts: 1 });
}

/**
 * A flow writing to `s3://{bucket}/output`, one loop started through the A2I runtime API and
 * answered by a reviewer: returns the loop's OutputS3Uri once it is Completed.
 */
export async function completeOneLoop(tandem: TestTandem, prefix: string, bucket: string, input: object): Promise<{ loopName: string; outputS3Uri: string }> {
  const { FlowDefinitionArn } = await createReviewSetup(tandem, prefix, { bucket });
  const loopName = `${prefix}-loop`;
  await tandem.a2i.send(
    new StartHumanLoopCommand({ HumanLoopName: loopName, FlowDefinitionArn, HumanLoopInput: { InputContent: JSON.stringify(input) } }),
  );
  const reviewer = await addReviewer(tandem, `${prefix}-reviewer@example.com`, `${prefix}-team`);
  const task = await claimNextTask(tandem.resources, reviewer);
  if (!task || task.humanLoopName !== loopName) throw new Error(`the reviewer did not get ${loopName}`);
  await submitAnswer(tandem.resources, reviewer, task.taskId, { category: { label: 'Cat' }, note: 'looks like a cat' });
  const loop = await tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: loopName }));
  if (loop.HumanLoopStatus !== 'Completed' || !loop.HumanLoopOutput?.OutputS3Uri) {
    throw new Error(`${loopName} is ${loop.HumanLoopStatus}: ${loop.FailureReason ?? ''}`);
  }
  return { loopName, outputS3Uri: loop.HumanLoopOutput.OutputS3Uri };
}
