import * as flows from '../operations/flow-definitions.js';
import * as uis from '../operations/human-task-uis.js';
import * as teams from '../operations/workteams.js';
import type { Caller, Resources } from '../resources.js';
import { UnknownOperationError } from './aws/errors.js';
import { parseJsonBody } from './aws/json-body.js';
import { validateInput, type Infer, type Shape } from './aws/shape-validation.js';
import * as shapes from './sagemaker-shapes.js';

export const SAGEMAKER_TARGET_PREFIX = 'SageMaker';

/** A shape and its handler; the input type is erased once `operation` has checked the pairing. */
interface Operation {
  shape: Shape;
  run(resources: Resources, caller: Caller, input: unknown): Promise<unknown>;
}

function operation<S extends Shape>(
  shape: S,
  run: (resources: Resources, caller: Caller, input: Infer<S>) => Promise<unknown>,
): Operation {
  return { shape, run: run as unknown as Operation['run'] };
}

/** The SageMaker operations Tandem serves, by `X-Amz-Target` operation name. */
const OPERATIONS: Record<string, Operation> = {
  CreateFlowDefinition: operation(shapes.createFlowDefinitionShape, (r, c, i) => flows.createFlowDefinition(r, c, i)),
  DescribeFlowDefinition: operation(shapes.describeFlowDefinitionShape, (r, c, i) =>
    flows.describeFlowDefinition(r, c, i.FlowDefinitionName),
  ),
  ListFlowDefinitions: operation(shapes.listFlowDefinitionsShape, (r, c, i) => flows.listFlowDefinitions(r, c, i)),
  DeleteFlowDefinition: operation(shapes.deleteFlowDefinitionShape, (r, c, i) =>
    flows.deleteFlowDefinition(r, c, i.FlowDefinitionName),
  ),
  CreateHumanTaskUi: operation(shapes.createHumanTaskUiShape, (r, c, i) => uis.createHumanTaskUi(r, c, i)),
  DescribeHumanTaskUi: operation(shapes.describeHumanTaskUiShape, (r, c, i) =>
    uis.describeHumanTaskUi(r, c, i.HumanTaskUiName),
  ),
  ListHumanTaskUis: operation(shapes.listHumanTaskUisShape, (r, c, i) => uis.listHumanTaskUis(r, c, i)),
  DeleteHumanTaskUi: operation(shapes.deleteHumanTaskUiShape, (r, c, i) => uis.deleteHumanTaskUi(r, c, i.HumanTaskUiName)),
  RenderUiTemplate: operation(shapes.renderUiTemplateShape, (r, c, i) => uis.renderUiTemplate(r, c, i)),
  CreateWorkteam: operation(shapes.createWorkteamShape, (r, c, i) => teams.createWorkteam(r, c, i)),
  DescribeWorkteam: operation(shapes.describeWorkteamShape, (r, c, i) => teams.describeWorkteam(r, c, i.WorkteamName)),
  ListWorkteams: operation(shapes.listWorkteamsShape, (r, c, i) => teams.listWorkteams(r, c, i)),
  UpdateWorkteam: operation(shapes.updateWorkteamShape, (r, c, i) => teams.updateWorkteam(r, c, i)),
  DeleteWorkteam: operation(shapes.deleteWorkteamShape, (r, c, i) => teams.deleteWorkteam(r, c, i.WorkteamName)),
};

export async function dispatchSageMaker(
  resources: Resources,
  caller: Caller,
  target: string | undefined,
  body: Buffer,
): Promise<unknown> {
  const name = target?.startsWith(`${SAGEMAKER_TARGET_PREFIX}.`) ? target.slice(SAGEMAKER_TARGET_PREFIX.length + 1) : undefined;
  const op = name !== undefined && Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (!op) {
    throw new UnknownOperationError(
      target ? `Tandem does not implement the operation '${target}'.` : 'Missing X-Amz-Target header.',
    );
  }
  // Each entry pairs a shape with the handler typed by it (see `operation`); here the
  // pairing is already checked, so the input passes through untyped.
  const validate = validateInput as unknown as (shape: Shape, value: unknown) => unknown;
  return op.run(resources, caller, validate(op.shape, parseJsonBody(body)));
}

export function sageMakerOperationNames(): string[] {
  return Object.keys(OPERATIONS);
}
