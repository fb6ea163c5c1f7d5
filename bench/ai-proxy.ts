/**
 * Proxy-mode overhead: Textract AnalyzeDocument through Tandem against the same call made
 * directly to the upstream service, in the same run.
 *
 * The upstream is the local stand-in the tests use (test/support/ai-service-upstream.ts: it
 * verifies each request's SigV4 signature and answers the two-page form fixture, ~120 blocks).
 * One real `@aws-sdk/client-textract` client calls it directly (baseline); another calls Tandem
 * (SQLite), which re-signs and forwards. Three Tandem modes: no HumanLoopConfig (pure forwarding),
 * HumanLoopConfig whose conditions say no (forwarding + flow lookup + evaluation), and conditions
 * that start a loop (a unique name each call: + StartHumanLoop's transaction and review slots).
 * Calls are sequential (latency, not throughput), and the modes alternate in rounds so that each
 * sees the same machine. Client, Tandem and upstream share this one process and its event loop,
 * so absolute figures include the client's own work in every mode alike; the ratios are the result.
 *
 *   npm run bench -- ai-proxy [--calls=100] [--rounds=4]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFlowDefinitionCommand, CreateHumanTaskUiCommand, CreateWorkteamCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AnalyzeDocumentCommand, TextractClient, type AnalyzeDocumentCommandInput } from '@aws-sdk/client-textract';
import { loadConfig } from '../src/config.js';
import { startTandem } from '../src/main.js';
import { startFakeAiServices, UPSTREAM_CREDENTIALS, useUpstreamCredentialsFromEnvironment } from '../test/support/ai-service-upstream.js';
import { percentile, round } from './support/latency.js';
import { machineInfo, writeResults } from './support/results.js';
import { formatRatio, formatTable } from './support/table.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const CALLS = Number(args.calls ?? 100);
const ROUNDS = Number(args.rounds ?? 4);
const REGION = 'us-east-1';
const KEY = { accessKeyId: 'TNDMBENCHPROXYKEY001', secretAccessKey: 'bench-proxy-secret-0123456789abcdef' };

type Mode = 'direct' | 'tandem-forward' | 'tandem-not-activated' | 'tandem-loop-started';

async function main() {
  const machine = machineInfo();
  console.log(`ai-proxy: ${CALLS} calls × ${ROUNDS} rounds per mode, load average ${machine.loadAverage.join(' ')}`);
  useUpstreamCredentialsFromEnvironment();
  const upstream = await startFakeAiServices();
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-bench-ai-proxy-'));
  const tandem = await startTandem({
    ...loadConfig({}, {}, dataDir),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl: undefined,
    accountId: '111122223333',
    ...KEY,
    logLevel: 'silent',
    seedDemo: false,
    textractEndpoint: upstream.url,
  });
  const viaTandem = new TextractClient({ endpoint: tandem.url, region: REGION, credentials: KEY, maxAttempts: 1 });
  const direct = new TextractClient({ endpoint: upstream.url, region: REGION, credentials: UPSTREAM_CREDENTIALS, maxAttempts: 1 });
  try {
    const sagemaker = new SageMakerClient({ endpoint: tandem.url, region: REGION, credentials: KEY });
    const { WorkteamArn } = await sagemaker.send(new CreateWorkteamCommand({ WorkteamName: 'bench', Description: 'bench', MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'us-east-1_b', UserGroup: 'g', ClientId: 'c' } }] }));
    const { HumanTaskUiArn } = await sagemaker.send(new CreateHumanTaskUiCommand({ HumanTaskUiName: 'bench-ui', UiTemplate: { Content: '<crowd-form><crowd-input name="n"></crowd-input></crowd-form>' } }));
    const flow = async (name: string, threshold: number) =>
      (
        await sagemaker.send(
          new CreateFlowDefinitionCommand({
            FlowDefinitionName: name,
            RoleArn: 'arn:aws:iam::111122223333:role/bench',
            OutputConfig: { S3OutputPath: 's3://bench-output/a2i' },
            HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: 'AWS/Textract/AnalyzeDocument/Forms/V1' },
            HumanLoopActivationConfig: {
              HumanLoopActivationConditionsConfig: {
                HumanLoopActivationConditions: JSON.stringify({ Conditions: [{ ConditionType: 'ImportantFormKeyConfidenceCheck', ConditionParameters: { ImportantFormKey: '*', KeyValueBlockConfidenceLessThan: threshold } }] }),
              },
            },
            HumanLoopConfig: { WorkteamArn: WorkteamArn!, HumanTaskUiArn: HumanTaskUiArn!, TaskTitle: 't', TaskDescription: 'd', TaskCount: 1 },
          }),
        )
      ).FlowDefinitionArn!;
    const quietFlow = await flow('bench-quiet', 1); // no key is below 1%: never activated
    const loopFlow = await flow('bench-loop', 99); // every key is: always activated
    sagemaker.destroy();

    const base: AnalyzeDocumentCommandInput = { Document: { S3Object: { Bucket: 'bench-forms', Name: 'w2.png' } }, FeatureTypes: ['FORMS'] };
    let loopNumber = 0;
    const calls: Record<Mode, () => Promise<unknown>> = {
      direct: () => direct.send(new AnalyzeDocumentCommand(base)),
      'tandem-forward': () => viaTandem.send(new AnalyzeDocumentCommand(base)),
      'tandem-not-activated': () => viaTandem.send(new AnalyzeDocumentCommand({ ...base, HumanLoopConfig: { HumanLoopName: 'bench-quiet', FlowDefinitionArn: quietFlow } })),
      'tandem-loop-started': () => viaTandem.send(new AnalyzeDocumentCommand({ ...base, HumanLoopConfig: { HumanLoopName: `bench-loop-${loopNumber++}`, FlowDefinitionArn: loopFlow } })),
    };
    const modes = Object.keys(calls) as Mode[];
    for (const mode of modes) for (let i = 0; i < 20; i++) await calls[mode](); // warm-up

    const samples: Record<Mode, number[]> = { direct: [], 'tandem-forward': [], 'tandem-not-activated': [], 'tandem-loop-started': [] };
    for (let round_ = 0; round_ < ROUNDS; round_++) {
      // Alternate the order so no mode always runs first after a pause.
      const order = round_ % 2 === 0 ? modes : [...modes].reverse();
      for (const mode of order) {
        for (let i = 0; i < CALLS; i++) {
          const started = process.hrtime.bigint();
          await calls[mode]();
          samples[mode].push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
    }

    const summary = Object.fromEntries(
      modes.map((mode) => {
        const sorted = [...samples[mode]].sort((a, b) => a - b);
        return [mode, { calls: sorted.length, medianMs: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) }];
      }),
    ) as Record<Mode, { calls: number; medianMs: number; p99Ms: number }>;
    const baseline = summary.direct.medianMs;
    const rows = modes.map((mode) => {
      const s = summary[mode];
      return [mode, s.medianMs.toFixed(2), s.p99Ms.toFixed(2), formatRatio(s.medianMs / baseline), (s.medianMs - baseline).toFixed(2)];
    });
    console.log(formatTable(['mode', 'median ms', 'p99 ms', '× direct', '+ms median'], rows));
    const files = await writeResults('ai-proxy', {
      machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverage },
      settings: { calls: CALLS, rounds: ROUNDS, blocksPerResponse: (upstream.responses.analyzeDocument as { Blocks: unknown[] }).Blocks.length, store: 'sqlite' },
      baseline: 'direct',
      results: Object.fromEntries(modes.map((mode) => [mode, { ...summary[mode], ratioToDirect: round(summary[mode].medianMs / baseline), overheadMs: round(summary[mode].medianMs - baseline) }])),
    });
    console.log(`wrote ${files.join(', ')}`);
  } finally {
    viaTandem.destroy();
    direct.destroy();
    await tandem.close();
    await upstream.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
