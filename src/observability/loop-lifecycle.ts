import type { Resources } from '../resources.js';
import type { HumanLoopRow } from '../store/schema.js';

type EndedLoop = Pick<HumanLoopRow, 'name' | 'account_id' | 'flow_definition_name' | 'created_at'> & {
  failure_code?: string | null;
  failure_reason?: string | null;
  output_s3_uri?: string | null;
};

/**
 * A human loop reached Completed, Failed or Stopped (after its transaction committed): one log
 * line for the operator and the ended-loop counter and completion-time histogram.
 */
export function recordLoopEnded(resources: Resources, loop: EndedLoop, status: 'Completed' | 'Failed' | 'Stopped', at: number): void {
  resources.metrics?.loopEnded(loop, status, at);
  const fields: Record<string, unknown> = {
    humanLoopName: loop.name,
    account: loop.account_id,
    flowDefinition: loop.flow_definition_name,
    status,
    ageSeconds: Math.round((at - loop.created_at) / 1000),
  };
  if (status === 'Completed') fields.outputS3Uri = loop.output_s3_uri ?? undefined;
  if (status === 'Failed') {
    fields.failureCode = loop.failure_code ?? undefined;
    fields.failureReason = loop.failure_reason ?? undefined;
  }
  const message = status === 'Completed' ? 'human loop completed' : status === 'Failed' ? 'human loop failed' : 'human loop stopped';
  if (status === 'Failed') resources.logger.warn(fields, message);
  else resources.logger.info(fields, message);
}
