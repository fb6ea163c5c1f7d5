/**
 * `tandem serve` with two server processes: the metrics listener (in the supervising process)
 * and a token scrape on the shared main port (any server process) both answer with the sum over
 * both processes, and the store gauges are not doubled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand, ListWorkteamsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerA2IRuntimeClient, StartHumanLoopCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
import { createTestDatabase, DIALECTS, dialectSkip, type TestDatabase } from '../support/databases.js';
import { SIMPLE_TEMPLATE } from '../support/fixtures.js';
import { ACCOUNT_ID, CREDENTIALS, serve, type Served } from './served.js';

const TOKEN = 'cluster-metrics-token-0123456789';

function sampleSum(text: string, name: string, labels: Record<string, string>): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    sum = (sum ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

for (const dialect of DIALECTS) {
  describe(`metrics of a two-process Tandem (${dialect})`, { skip: dialectSkip(dialect) }, () => {
    let database: TestDatabase;
    let served: Served;
    before(async () => {
      database = await createTestDatabase(dialect);
      served = await serve(database, {
        TANDEM_PROCESSES: '2',
        TANDEM_METRICS_LISTEN: '127.0.0.1:0',
        TANDEM_METRICS_TOKEN: TOKEN,
        TANDEM_LOG_LEVEL: 'warn',
        TANDEM_LOG_FORMAT: 'json',
      });
    });
    after(async () => {
      await served?.stop();
      await database?.drop();
    });

    test('both scrapes count every process’s requests once; store gauges are not multiplied', async () => {
      assert.ok(served.metricsUrl, `the banner names the metrics listener:\n${served.stderr()}`);
      const common = { endpoint: served.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
      const sagemaker = new SageMakerClient(common);
      const a2i = new SageMakerA2IRuntimeClient(common);
      try {
        // New connections each time, so both server processes take some of them.
        for (let i = 0; i < 8; i++) {
          const client = new SageMakerClient(common);
          await client.send(new ListWorkteamsCommand({}));
          client.destroy();
        }
        const { WorkteamArn } = await sagemaker.send(
          new CreateWorkteamCommand({ WorkteamName: 'c-team', Description: 'd', MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_t', UserGroup: 'c', ClientId: 'c' } }] }),
        );
        const { HumanTaskUiArn } = await sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'c-ui', UiTemplate: { Content: SIMPLE_TEMPLATE } }));
        const { FlowDefinitionArn } = await sagemaker.send(
          new CreateFlowDefinitionCommand({
            FlowDefinitionName: 'c-flow',
            RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/r`,
            OutputConfig: { S3OutputPath: 's3://c-bucket/out' },
            HumanLoopConfig: { WorkteamArn: WorkteamArn!, HumanTaskUiArn: HumanTaskUiArn!, TaskTitle: 't', TaskDescription: 'd', TaskCount: 1, TaskTimeLimitInSeconds: 300, TaskAvailabilityLifetimeInSeconds: 3600 },
          }),
        );
        await a2i.send(new StartHumanLoopCommand({ HumanLoopName: 'c-loop', FlowDefinitionArn, HumanLoopInput: { InputContent: '{}' } }));

        const open = await fetch(`${served.metricsUrl}/metrics`);
        assert.equal(open.status, 200);
        const aggregated = await open.text();
        assert.equal(sampleSum(aggregated, 'tandem_http_request_duration_seconds_count', { operation: 'SageMaker.ListWorkteams' }), 8);
        assert.equal(sampleSum(aggregated, 'tandem_human_loops', { flow_definition: 'c-flow', status: 'InProgress' }), 1);
        assert.equal(sampleSum(aggregated, 'tandem_tasks_waiting', { workteam: 'c-team' }), 1);

        for (let i = 0; i < 3; i++) {
          const viaMainPort = await fetch(`${served.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
          assert.equal(viaMainPort.status, 200);
          const text = await viaMainPort.text();
          assert.equal(sampleSum(text, 'tandem_http_request_duration_seconds_count', { operation: 'SageMaker.ListWorkteams' }), 8);
          assert.equal(sampleSum(text, 'tandem_human_loops', { flow_definition: 'c-flow', status: 'InProgress' }), 1);
        }
      } finally {
        sagemaker.destroy();
        a2i.destroy();
      }
    });
  });
}
