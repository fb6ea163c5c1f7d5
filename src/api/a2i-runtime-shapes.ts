/**
 * Input shapes of the A2I runtime (restJson1) operations, with the constraints of the service
 * model (botocore `sagemaker-a2i-runtime/2019-11-07`; Smithy model in aws-sdk-js-v3). Pattern
 * text is botocore's spelling, which is what AWS prints in a ValidationException.
 *
 * Bodies (StartHumanLoop, StopHumanLoop) go through `validateInput(shape, body)`; URI labels and
 * the ListHumanLoops query arrive as strings and go through the helpers at the bottom.
 *
 * @example
 * const { HumanLoopName } = validateHumanLoopNameLabel(request.params.HumanLoopName);
 * const query = validateListHumanLoopsQuery(request.query); // CreationTimeAfter?: Date, …
 */
import {
  type Infer,
  enumeration,
  integer,
  list,
  string,
  structure,
  timestamp,
  validateInput,
} from './aws/shape-validation.js';

const HumanLoopName = string({ min: 1, max: 63, pattern: '^[a-z0-9](-*[a-z0-9])*$' });
const FlowDefinitionArn = string({
  min: 0,
  max: 1024,
  pattern: String.raw`arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:flow-definition/.*`,
});
/** "The input must be a string representation of a file in JSON format" (checked by the domain). */
const InputContent = string({ min: 0, max: 3145728 });
const ContentClassifiers = list(enumeration(['FreeOfPersonallyIdentifiableInformation', 'FreeOfAdultContent']), {
  min: 0,
  max: 256,
});
/** restJson1 timestamps are RFC 3339 strings, in bodies and in the query alike. */
const Timestamp = timestamp('date-time');

export const startHumanLoopShape = structure(
  {
    HumanLoopName,
    FlowDefinitionArn,
    HumanLoopInput: structure({ InputContent }, { required: ['InputContent'] }),
    DataAttributes: structure({ ContentClassifiers }, { required: ['ContentClassifiers'] }),
  },
  { required: ['HumanLoopName', 'FlowDefinitionArn', 'HumanLoopInput'] },
);
export const stopHumanLoopShape = structure({ HumanLoopName }, { required: ['HumanLoopName'] });
/** `GET /human-loops/{HumanLoopName}`. */
export const describeHumanLoopShape = structure({ HumanLoopName }, { required: ['HumanLoopName'] });
/** `DELETE /human-loops/{HumanLoopName}`. */
export const deleteHumanLoopShape = describeHumanLoopShape;
/** `GET /human-loops?FlowDefinitionArn=…`; every member is an `httpQuery` of the same name. */
export const listHumanLoopsShape = structure(
  {
    CreationTimeAfter: Timestamp,
    CreationTimeBefore: Timestamp,
    FlowDefinitionArn,
    SortOrder: enumeration(['Ascending', 'Descending']),
    NextToken: string({ min: 0, max: 8192, pattern: '.*' }),
    MaxResults: integer({ min: 1, max: 100 }),
  },
  { required: ['FlowDefinitionArn'] },
);

export type StartHumanLoopInput = Infer<typeof startHumanLoopShape>;
export type StopHumanLoopInput = Infer<typeof stopHumanLoopShape>;
export type DescribeHumanLoopInput = Infer<typeof describeHumanLoopShape>;
export type DeleteHumanLoopInput = Infer<typeof deleteHumanLoopShape>;
export type ListHumanLoopsInput = Infer<typeof listHumanLoopsShape>;
export type ContentClassifier = StartHumanLoopInput extends { DataAttributes?: { ContentClassifiers: (infer C)[] } }
  ? C
  : never;

/**
 * Validates the `{HumanLoopName}` label of DescribeHumanLoop and DeleteHumanLoop (already
 * percent-decoded by the router).
 */
export function validateHumanLoopNameLabel(label: string | undefined): DescribeHumanLoopInput {
  return validateInput(describeHumanLoopShape, { HumanLoopName: label }, { source: 'query' });
}

/**
 * Validates ListHumanLoops' query string (already percent-decoded). `MaxResults` must be an
 * integer 1..100; `CreationTimeAfter`/`CreationTimeBefore` are RFC 3339 date-times with any
 * number of fractional digits (the JS SDK sends 3, botocore 6) or a bare `YYYY-MM-DD`, and come
 * back as `Date`s. Other query parameters are ignored.
 *
 * @example
 * validateListHumanLoopsQuery({ FlowDefinitionArn: arn, MaxResults: '10', SortOrder: 'Descending' })
 * // → { FlowDefinitionArn: arn, MaxResults: 10, SortOrder: 'Descending' }
 */
export function validateListHumanLoopsQuery(query: Record<string, string | undefined>): ListHumanLoopsInput {
  const picked: Record<string, string> = {};
  for (const name of Object.keys(listHumanLoopsShape.members)) {
    const value = Object.hasOwn(query, name) ? query[name] : undefined;
    if (value !== undefined) picked[name] = value;
  }
  return validateInput(listHumanLoopsShape, picked, { source: 'query' });
}
