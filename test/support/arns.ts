/** The ARNs Tandem gives its resources in the test region, built as AWS formats them. */
import { TEST_ACCOUNT_ID, TEST_REGION } from './tandem.js';

/** An IAM role ARN in the test account, for the RoleArn members Tandem stores but never assumes. */
export const TEST_ROLE_ARN = `arn:aws:iam::${TEST_ACCOUNT_ID}:role/tandem-test`;

const sagemakerArn = (accountId: string, resource: string) => `arn:aws:sagemaker:${TEST_REGION}:${accountId}:${resource}`;

export const flowDefinitionArn = (accountId: string, name: string) => sagemakerArn(accountId, `flow-definition/${name}`);
export const humanTaskUiArn = (accountId: string, name: string) => sagemakerArn(accountId, `human-task-ui/${name}`);
export const workteamArn = (accountId: string, name: string) => sagemakerArn(accountId, `workteam/private-crowd/${name}`);
export const humanLoopArn = (accountId: string, name: string) => sagemakerArn(accountId, `human-loop/${name}`);
