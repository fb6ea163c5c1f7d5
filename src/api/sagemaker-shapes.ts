/**
 * Input shapes of the SageMaker (awsJson1_1) operations Tandem serves, with every constraint of
 * the service model (botocore `sagemaker/2017-07-24`, the model `@aws-sdk/client-sagemaker`
 * 3.1142.0 is generated from). Pattern text is printed as AWS prints it in a ValidationException:
 * where the current botocore file dropped the `^`/`$` that older releases (and the service's
 * messages) carry, the anchored spelling is kept; every pattern matches the whole value either way.
 *
 * @example
 * const input = validateInput(createFlowDefinitionShape, body); // CreateFlowDefinitionInput
 */
import {
  type Infer,
  enumeration,
  integer,
  list,
  string,
  structure,
  timestamp,
} from './aws/shape-validation.js';

// ---- Names, ARNs and other strings -------------------------------------------------------------

const FlowDefinitionName = string({ min: 1, max: 63, pattern: String.raw`^[a-z0-9](-*[a-z0-9]){0,62}` });
const HumanTaskUiName = string({ min: 1, max: 63, pattern: String.raw`^[a-z0-9](-*[a-z0-9])*` });
/** Also the shape of ListWorkteams' `NameContains`. */
const WorkteamName = string({ min: 1, max: 63, pattern: String.raw`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}` });
const WorkforceName = string({ min: 1, max: 63, pattern: String.raw`^[a-zA-Z0-9]([a-zA-Z0-9\-]){0,62}$` });
const HumanTaskUiArn = string({
  min: 0,
  max: 1024,
  pattern: String.raw`arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]+:[0-9]{12}:human-task-ui/.*`,
});
const WorkteamArn = string({
  min: 0,
  max: 256,
  pattern: String.raw`arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:workteam/.*`,
});
const RoleArn = string({
  min: 20,
  max: 2048,
  pattern: String.raw`^arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`,
});
const S3Uri = string({ min: 0, max: 1024, pattern: String.raw`^(https|s3)://([^/]+)/?(.*)$` });
const KmsKeyId = string({ min: 0, max: 2048, pattern: String.raw`[a-zA-Z0-9:/_-]*` });
const NotificationTopicArn = string({
  pattern: String.raw`arn:aws[a-z\-]*:sns:[a-z0-9\-]*:[0-9]{12}:[a-zA-Z0-9_.-]*`,
});
/** A JSON document serialized as a string (see the A2I activation-condition schema). */
const HumanLoopActivationConditions = string({ min: 0, max: 10240 });
const TemplateContent = string({ min: 1, max: 128000, pattern: String.raw`[\S\s]+` });
const TaskInput = string({ min: 2, max: 128000, pattern: String.raw`[\S\s]+` });
const String200 = string({ min: 1, max: 200, pattern: '.+' });
const NextToken = string({ min: 0, max: 8192, pattern: '.*' });
const MaxResults = integer({ min: 1, max: 100 });
const SortOrder = enumeration(['Ascending', 'Descending']);
/** awsJson1_1 timestamps: epoch seconds as a JSON number (botocore ints, JS SDK floats). */
const Timestamp = timestamp('epoch-seconds');

// ---- Shared structures ------------------------------------------------------------------------

const TagText = String.raw`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`;
const Tag = structure(
  { Key: string({ min: 1, max: 128, pattern: TagText }), Value: string({ min: 0, max: 256, pattern: TagText }) },
  { required: ['Key', 'Value'] },
);
const TagList = list(Tag, { min: 0, max: 50 });

const UiTemplate = structure({ Content: TemplateContent }, { required: ['Content'] });

const CognitoMemberDefinition = structure(
  {
    UserPool: string({ min: 1, max: 55, pattern: String.raw`[\w-]+_[0-9a-zA-Z]+` }),
    UserGroup: string({ min: 1, max: 128, pattern: String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}]+` }),
    ClientId: string({ min: 1, max: 1024, pattern: '[ -~]+' }),
  },
  { required: ['UserPool', 'UserGroup', 'ClientId'] },
);
const OidcMemberDefinition = structure({
  Groups: list(string({ min: 1, max: 63, pattern: String.raw`[\p{L}\p{M}\p{S}\p{N}\p{P}]+` }), { min: 1, max: 10 }),
});
/** "Do not provide input for both of these parameters." */
const MemberDefinition = structure(
  { CognitoMemberDefinition, OidcMemberDefinition },
  { exactlyOneOf: ['CognitoMemberDefinition', 'OidcMemberDefinition'] },
);
const MemberDefinitions = list(MemberDefinition, { min: 1, max: 10 });

const NotificationConfiguration = structure({ NotificationTopicArn });
const EnabledOrDisabled = enumeration(['Enabled', 'Disabled']);
const WorkerAccessConfiguration = structure({
  S3Presign: structure({
    IamPolicyConstraints: structure({ SourceIp: EnabledOrDisabled, VpcSourceIp: EnabledOrDisabled }),
  }),
});

const HumanLoopConfig = structure(
  {
    WorkteamArn,
    HumanTaskUiArn,
    TaskTitle: string({ min: 1, max: 128, pattern: String.raw`^[\t\n\r -\uD7FF\uE000-\uFFFD]*$` }),
    TaskDescription: string({ min: 1, max: 255, pattern: '.+' }),
    TaskCount: integer({ min: 1, max: 3 }),
    TaskAvailabilityLifetimeInSeconds: integer({ min: 1 }),
    TaskTimeLimitInSeconds: integer({ min: 30 }),
    TaskKeywords: list(string({ min: 1, max: 30, pattern: String.raw`^[A-Za-z0-9]+( [A-Za-z0-9]+)*$` }), {
      min: 1,
      max: 5,
    }),
    PublicWorkforceTaskPrice: structure({
      AmountInUsd: structure({
        Dollars: integer({ min: 0, max: 2 }),
        Cents: integer({ min: 0, max: 99 }),
        TenthFractionsOfACent: integer({ min: 0, max: 9 }),
      }),
    }),
  },
  { required: ['WorkteamArn', 'HumanTaskUiArn', 'TaskTitle', 'TaskDescription', 'TaskCount'] },
);

const ListByCreationTime = structure({
  CreationTimeAfter: Timestamp,
  CreationTimeBefore: Timestamp,
  SortOrder,
  NextToken,
  MaxResults,
});

// ---- Flow definitions -------------------------------------------------------------------------

export const createFlowDefinitionShape = structure(
  {
    FlowDefinitionName,
    HumanLoopRequestSource: structure(
      {
        AwsManagedHumanLoopRequestSource: enumeration([
          'AWS/Rekognition/DetectModerationLabels/Image/V3',
          'AWS/Textract/AnalyzeDocument/Forms/V1',
        ]),
      },
      { required: ['AwsManagedHumanLoopRequestSource'] },
    ),
    HumanLoopActivationConfig: structure(
      {
        HumanLoopActivationConditionsConfig: structure(
          { HumanLoopActivationConditions },
          { required: ['HumanLoopActivationConditions'] },
        ),
      },
      { required: ['HumanLoopActivationConditionsConfig'] },
    ),
    HumanLoopConfig,
    OutputConfig: structure({ S3OutputPath: S3Uri, KmsKeyId }, { required: ['S3OutputPath'] }),
    RoleArn,
    Tags: TagList,
  },
  { required: ['FlowDefinitionName', 'OutputConfig', 'RoleArn'] },
);
export const describeFlowDefinitionShape = structure({ FlowDefinitionName }, { required: ['FlowDefinitionName'] });
export const listFlowDefinitionsShape = ListByCreationTime;
export const deleteFlowDefinitionShape = structure({ FlowDefinitionName }, { required: ['FlowDefinitionName'] });

export type CreateFlowDefinitionInput = Infer<typeof createFlowDefinitionShape>;
export type DescribeFlowDefinitionInput = Infer<typeof describeFlowDefinitionShape>;
export type ListFlowDefinitionsInput = Infer<typeof listFlowDefinitionsShape>;
export type DeleteFlowDefinitionInput = Infer<typeof deleteFlowDefinitionShape>;
/** The `HumanLoopConfig` member of CreateFlowDefinition, for domain code that takes it alone. */
export type HumanLoopConfigInput = Infer<typeof HumanLoopConfig>;

// ---- Human task UIs ---------------------------------------------------------------------------

export const createHumanTaskUiShape = structure(
  { HumanTaskUiName, UiTemplate, Tags: TagList },
  { required: ['HumanTaskUiName', 'UiTemplate'] },
);
export const describeHumanTaskUiShape = structure({ HumanTaskUiName }, { required: ['HumanTaskUiName'] });
export const listHumanTaskUisShape = ListByCreationTime;
export const deleteHumanTaskUiShape = structure({ HumanTaskUiName }, { required: ['HumanTaskUiName'] });

export type CreateHumanTaskUiInput = Infer<typeof createHumanTaskUiShape>;
export type DescribeHumanTaskUiInput = Infer<typeof describeHumanTaskUiShape>;
export type ListHumanTaskUisInput = Infer<typeof listHumanTaskUisShape>;
export type DeleteHumanTaskUiInput = Infer<typeof deleteHumanTaskUiShape>;

// ---- Work teams -------------------------------------------------------------------------------

export const createWorkteamShape = structure(
  {
    WorkteamName,
    WorkforceName,
    MemberDefinitions,
    Description: String200,
    NotificationConfiguration,
    WorkerAccessConfiguration,
    Tags: TagList,
  },
  { required: ['WorkteamName', 'MemberDefinitions', 'Description'] },
);
export const describeWorkteamShape = structure({ WorkteamName }, { required: ['WorkteamName'] });
export const listWorkteamsShape = structure({
  SortBy: enumeration(['Name', 'CreateDate']),
  SortOrder,
  NameContains: WorkteamName,
  NextToken,
  MaxResults,
});
/** `MemberDefinitions`, when given, replaces the team's whole list. */
export const updateWorkteamShape = structure(
  {
    WorkteamName,
    MemberDefinitions,
    Description: String200,
    NotificationConfiguration,
    WorkerAccessConfiguration,
  },
  { required: ['WorkteamName'] },
);
export const deleteWorkteamShape = structure({ WorkteamName }, { required: ['WorkteamName'] });

export type CreateWorkteamInput = Infer<typeof createWorkteamShape>;
export type DescribeWorkteamInput = Infer<typeof describeWorkteamShape>;
export type ListWorkteamsInput = Infer<typeof listWorkteamsShape>;
export type UpdateWorkteamInput = Infer<typeof updateWorkteamShape>;
export type DeleteWorkteamInput = Infer<typeof deleteWorkteamShape>;
export type MemberDefinitionInput = Infer<typeof MemberDefinition>;

// ---- RenderUiTemplate -------------------------------------------------------------------------

/** Either `UiTemplate` or `HumanTaskUiArn` names the template: "Do not provide a HumanTaskUiArn if you use the UiTemplate parameter." */
export const renderUiTemplateShape = structure(
  {
    UiTemplate,
    Task: structure({ Input: TaskInput }, { required: ['Input'] }),
    RoleArn,
    HumanTaskUiArn,
  },
  { required: ['Task', 'RoleArn'], exactlyOneOf: ['UiTemplate', 'HumanTaskUiArn'] },
);
export type RenderUiTemplateInput = Infer<typeof renderUiTemplateShape>;
