/**
 * The output.json A2I writes for a completed human loop, built from stored facts only (pure, so
 * the layout is tested without a server). Keys are in AWS's order.
 */
export interface StoredAnswer {
  acceptedAt: number;
  submittedAt: number;
  timeSpentSeconds: number;
  workerId: string;
  answerContent: unknown;
  workerMetadata: unknown;
}

export interface OutputFacts {
  flowDefinitionArn: string;
  humanLoopName: string;
  inputContent: string;
  requestSource: string | null;
  answers: StoredAnswer[];
}

export function buildOutputDocument(facts: OutputFacts): Record<string, unknown> {
  return {
    ...(facts.requestSource ? { awsManagedHumanLoopRequestSource: facts.requestSource } : {}),
    flowDefinitionArn: facts.flowDefinitionArn,
    humanAnswers: facts.answers.map((answer) => ({
      acceptanceTime: new Date(answer.acceptedAt).toISOString(),
      answerContent: answer.answerContent,
      submissionTime: new Date(answer.submittedAt).toISOString(),
      timeSpentInSeconds: answer.timeSpentSeconds,
      workerId: answer.workerId,
      workerMetadata: answer.workerMetadata,
    })),
    humanLoopName: facts.humanLoopName,
    inputContent: JSON.parse(facts.inputContent) as unknown,
  };
}

/**
 * `{S3OutputPath}/{flow-definition-name}/YYYY/MM/DD/hh/mm/ss/{human-loop-name}/output.json`,
 * the time being the loop's creation time in UTC; joined with exactly one `/`.
 */
export function outputUri(s3OutputPath: string, flowDefinitionName: string, humanLoopName: string, createdAt: number): string {
  const d = new Date(createdAt);
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = [d.getUTCFullYear(), two(d.getUTCMonth() + 1), two(d.getUTCDate()), two(d.getUTCHours()), two(d.getUTCMinutes()), two(d.getUTCSeconds())].join('/');
  return `${s3OutputPath.replace(/\/+$/, '')}/${flowDefinitionName}/${stamp}/${humanLoopName}/output.json`;
}
