import { buildArn } from './domain/arns.js';
import { createFlowDefinition } from './operations/flow-definitions.js';
import { createHumanTaskUi } from './operations/human-task-uis.js';
import { createWorkteam } from './operations/workteams.js';
import type { Caller, Resources } from './resources.js';

/** A small classification task in A2I's template dialect: the demo's worker UI. */
export const DEMO_TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier
    name="sentiment"
    categories="['Positive', 'Negative', 'Neutral']"
    header="What is the sentiment of this review?"
  >
    <classification-target>{{ task.input.text }}</classification-target>
    <full-instructions header="Sentiment">Pick the feeling the text expresses.</full-instructions>
    <short-instructions>Choose the sentiment of the text.</short-instructions>
  </crowd-classifier>
  <crowd-input name="comment" label="Anything the model should know? (optional)"></crowd-input>
</crowd-form>
`;

/**
 * Seeds a new account with a work team `demo`, a task UI `demo-classify` and a flow definition
 * `demo-flow`, so a first start has something to send loops to.
 */
export async function seedDemo(resources: Resources, caller: Caller): Promise<void> {
  await createWorkteam(resources, caller, {
    WorkteamName: 'demo',
    Description: 'Demo reviewers (add people with: tandem workers add --team demo)',
    MemberDefinitions: [
      { CognitoMemberDefinition: { UserPool: `${caller.region}_tandem`, UserGroup: 'demo', ClientId: 'tandem-portal' } },
    ],
  });
  await createHumanTaskUi(resources, caller, { HumanTaskUiName: 'demo-classify', UiTemplate: { Content: DEMO_TEMPLATE } });
  await createFlowDefinition(resources, caller, {
    FlowDefinitionName: 'demo-flow',
    RoleArn: `arn:aws:iam::${caller.accountId}:role/tandem-demo`,
    OutputConfig: { S3OutputPath: 's3://demo-output/reviews' },
    HumanLoopConfig: {
      WorkteamArn: buildArn('workteam', caller, 'demo'),
      HumanTaskUiArn: buildArn('human-task-ui', caller, 'demo-classify'),
      TaskTitle: 'Classify the sentiment of a review',
      TaskDescription: 'Read a short customer review and pick its sentiment.',
      TaskCount: 1,
      TaskTimeLimitInSeconds: 600,
      TaskAvailabilityLifetimeInSeconds: 86_400,
    },
  });
}
