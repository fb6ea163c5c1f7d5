/**
 * ARNs of the resources Tandem serves, built and parsed in one place.
 * Shapes follow AWS: `arn:aws:sagemaker:{region}:{account}:flow-definition/{name}`.
 */
export type ResourceType = 'flow-definition' | 'human-task-ui' | 'human-loop' | 'workteam';

export interface ArnContext {
  region: string;
  accountId: string;
}

const PREFIX: Record<ResourceType, string> = {
  'flow-definition': 'flow-definition/',
  'human-task-ui': 'human-task-ui/',
  'human-loop': 'human-loop/',
  workteam: 'workteam/private-crowd/',
};

export function buildArn(type: ResourceType, context: ArnContext, name: string): string {
  return `arn:aws:sagemaker:${context.region}:${context.accountId}:${PREFIX[type]}${name}`;
}

export interface ParsedArn {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

const ARN = /^arn:(aws[a-z-]*):sagemaker:([a-z0-9-]*):(\d{12}):(.+)$/;

/** Parses an ARN of the given type; undefined when it is not one. */
export function parseArn(type: ResourceType, arn: string): ParsedArn | undefined {
  const match = ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, accountId, resource] = match as unknown as [string, string, string, string, string];
  const prefix = PREFIX[type];
  if (!resource.startsWith(prefix)) return undefined;
  const name = resource.slice(prefix.length);
  if (name === '' || name.includes('/')) return undefined;
  return { partition, region, accountId, name };
}

/** True when the ARN names a resource of the caller's own account and Tandem's region. */
export function belongsTo(parsed: ParsedArn, context: ArnContext): boolean {
  return parsed.accountId === context.accountId && parsed.region === context.region;
}
