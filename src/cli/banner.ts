import type { DefaultAccount } from '../bootstrap.js';

/** What `tandem serve` prints once listening: where it is and how to talk to it. */
export function startBanner(url: string, region: string, account: DefaultAccount, processes = 1, metricsUrl?: string): string {
  const secret = account.secretAccessKey ?? '(stored; shown at first start and in data/credentials)';
  const secretForSnippets = account.secretAccessKey ?? '<secret access key>';
  return `
Tandem is listening on ${url}

  Endpoint           ${url}
  Region             ${region}
  Account id         ${account.accountId}
  Access key id      ${account.accessKeyId}
  Secret access key  ${secret}
${account.credentialsFile ? `  Credentials file   ${account.credentialsFile} (profile "tandem")\n` : ''}  Worker portal      ${url}/portal  (add reviewers: npx tandem workers add --email you@example.com --team demo)
${metricsUrl ? `  Metrics            ${metricsUrl}/metrics  (Prometheus, no token: keep this address private)\n` : ''}${processes > 1 ? `  Processes          ${processes} server processes on one port (TANDEM_PROCESSES)\n` : ''}${account.created ? '  Demo               work team "demo", task UI "demo-classify", flow definition "demo-flow"\n' : ''}
AWS SDK for JavaScript v3:

  import { SageMakerA2IRuntimeClient, ListHumanLoopsCommand } from '@aws-sdk/client-sagemaker-a2i-runtime';
  const a2i = new SageMakerA2IRuntimeClient({
    endpoint: '${url}',
    region: '${region}',
    credentials: { accessKeyId: '${account.accessKeyId}', secretAccessKey: '${secretForSnippets}' },
  });

boto3 (Python):

${pythonSnippet(url, region, account.accessKeyId, secretForSnippets)}

AWS CLI:

  AWS_ACCESS_KEY_ID=${account.accessKeyId} AWS_SECRET_ACCESS_KEY=${secretForSnippets} \\
    aws --endpoint-url ${url} --region ${region} sagemaker list-flow-definitions

Press Ctrl-C to stop.
`;
}

/**
 * The boto3 lines of the banner. Unlike the other snippets they start in the first column:
 * Python refuses a pasted first line that is indented.
 */
function pythonSnippet(url: string, region: string, accessKeyId: string, secret: string): string {
  return `import boto3
kw = dict(endpoint_url="${url}", region_name="${region}",
          aws_access_key_id="${accessKeyId}", aws_secret_access_key="${secret}")
a2i = boto3.client("sagemaker-a2i-runtime", **kw)
print(boto3.client("sagemaker", **kw).list_flow_definitions()["FlowDefinitionSummaries"])`;
}
