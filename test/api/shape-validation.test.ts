/**
 * Request validation: AWS's exact ValidationException wording, Coral-style serialization errors,
 * and for every operation Tandem serves one valid input (shaped like the SDK's doc-comment
 * examples, with real values) and one invalid one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SerializationError, ValidationError } from '../../src/api/aws/errors.js';
import {
  enumeration,
  integer,
  list,
  map,
  parseDateTime,
  string,
  structure,
  timestamp,
  validateInput,
} from '../../src/api/aws/shape-validation.js';
import * as sagemaker from '../../src/api/sagemaker-shapes.js';
import * as a2i from '../../src/api/a2i-runtime-shapes.js';

function throwsValidation(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ValidationError, `expected ValidationError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}
function throwsSerialization(fn: () => unknown, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SerializationError, `expected SerializationError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}
const violation = (value: string, path: string, constraint: string) =>
  `Value ${value} at '${path}' failed to satisfy constraint: ${constraint}`;

const ACCOUNT = '111122223333';
const UI_ARN = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:human-task-ui/forms-ui`;
const TEAM_ARN = `arn:aws:sagemaker:us-east-1:${ACCOUNT}:workteam/private-crowd/reviewers`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole`;
const LOOP_NAME_PATTERN = '^[a-z0-9](-*[a-z0-9])*$';

describe('validateInput: the DSL', () => {
  const Name = string({ min: 1, max: 63, pattern: LOOP_NAME_PATTERN });
  const Request = structure(
    {
      HumanLoopName: Name,
      Config: structure(
        {
          TaskCount: integer({ min: 1, max: 3 }),
          TaskKeywords: list(string({ min: 1, max: 30 }), { min: 1, max: 5 }),
        },
        { required: ['TaskCount'] },
      ),
      SortOrder: enumeration(['Ascending', 'Descending']),
      Labels: map(string({ max: 3 })),
      At: timestamp('epoch-seconds'),
    },
    { required: ['HumanLoopName'] },
  );

  it('reports one violation in AWS format, printing the pattern as given', () => {
    throwsValidation(
      () => validateInput(Request, { HumanLoopName: 'BAD_NAME!' }),
      `1 validation error detected: ${violation(
        "'BAD_NAME!'",
        'humanLoopName',
        'Member must satisfy regular expression pattern: ^[a-z0-9](-*[a-z0-9])*$',
      )}`,
    );
  });

  it('collects every violation, joined by "; ", in member order', () => {
    throwsValidation(
      () => validateInput(Request, { HumanLoopName: 'x'.repeat(64), Config: { TaskCount: 0 }, SortOrder: 'Up' }),
      '3 validation errors detected: ' +
        [
          violation(`'${'x'.repeat(64)}'`, 'humanLoopName', 'Member must have length less than or equal to 63'),
          violation("'0'", 'config.taskCount', 'Member must have value greater than or equal to 1'),
          violation("'Up'", 'sortOrder', 'Member must satisfy enum value set: [Ascending, Descending]'),
        ].join('; '),
    );
  });

  it('reports each failed constraint of one value separately', () => {
    throwsValidation(
      () => validateInput(Request, { HumanLoopName: '' }),
      '2 validation errors detected: ' +
        [
          violation("''", 'humanLoopName', 'Member must have length greater than or equal to 1'),
          violation("''", 'humanLoopName', `Member must satisfy regular expression pattern: ${LOOP_NAME_PATTERN}`),
        ].join('; '),
    );
  });

  it('says "Value null ... Member must not be null" for absent required members, JSON null included', () => {
    throwsValidation(
      () => validateInput(Request, { HumanLoopName: null, Config: {} }),
      '2 validation errors detected: ' +
        [
          violation('null', 'humanLoopName', 'Member must not be null'),
          violation('null', 'config.taskCount', 'Member must not be null'),
        ].join('; '),
    );
    throwsValidation(
      () => validateInput(Request, undefined),
      `1 validation error detected: ${violation('null', 'humanLoopName', 'Member must not be null')}`,
    );
  });

  it('names list elements <list>.<n>.member (1-based) and prints lists as [a, b]', () => {
    throwsValidation(
      () => validateInput(Request, { HumanLoopName: 'a', Config: { TaskCount: 1, TaskKeywords: ['ok', '', null] } }),
      '2 validation errors detected: ' +
        [
          violation("''", 'config.taskKeywords.2.member', 'Member must have length greater than or equal to 1'),
          violation('null', 'config.taskKeywords.3.member', 'Member must not be null'),
        ].join('; '),
    );
    throwsValidation(
      () => validateInput(Request, { HumanLoopName: 'a', Config: { TaskCount: 1, TaskKeywords: [] } }),
      `1 validation error detected: ${violation("'[]'", 'config.taskKeywords', 'Member must have length greater than or equal to 1')}`,
    );
    throwsValidation(
      () => validateInput(Request, { HumanLoopName: 'a', Config: { TaskCount: 1, TaskKeywords: ['a', 'b', 'c', 'd', 'e', 'f'] } }),
      `1 validation error detected: ${violation(
        "'[a, b, c, d, e, f]'",
        'config.taskKeywords',
        'Member must have length less than or equal to 5',
      )}`,
    );
  });

  it('names map values <map>.<key>', () => {
    throwsValidation(
      () => validateInput(Request, { HumanLoopName: 'a', Labels: { ok: 'abc', long: 'abcd' } }),
      `1 validation error detected: ${violation("'abcd'", 'labels.long', 'Member must have length less than or equal to 3')}`,
    );
  });

  it('cuts printed values after 256 characters', () => {
    const long = 'x'.repeat(300);
    throwsValidation(
      () => validateInput(Request, { HumanLoopName: long }),
      `1 validation error detected: ${violation(`'${'x'.repeat(256)}...'`, 'humanLoopName', 'Member must have length less than or equal to 63')}`,
    );
  });

  it('throws SerializationError with the member path for a wrong JSON type', () => {
    throwsSerialization(
      () => validateInput(Request, { HumanLoopName: 'a', Config: { TaskCount: '2' } }),
      "STRING_VALUE can not be converted to an Integer at 'config.taskCount'",
    );
    throwsSerialization(
      () => validateInput(Request, { HumanLoopName: 'a', Config: { TaskCount: 1.5 } }),
      "NUMBER_VALUE can not be converted to an Integer at 'config.taskCount'",
    );
    throwsSerialization(
      () => validateInput(Request, { HumanLoopName: { a: 1 } }),
      "Start of structure or map found where not expected at 'humanLoopName'.",
    );
    throwsSerialization(
      () => validateInput(Request, { HumanLoopName: 'a', Config: [] }),
      "Start of list found where not expected at 'config'.",
    );
    throwsSerialization(
      () => validateInput(Request, { HumanLoopName: 'a', Config: { TaskCount: 1, TaskKeywords: [true] } }),
      "BOOLEAN_VALUE can not be converted to a String at 'config.taskKeywords.1.member'",
    );
    throwsSerialization(
      () => validateInput(Request, { HumanLoopName: 'a', At: '2020-02-24T00:00:00Z' }),
      "STRING_VALUE can not be converted to a Timestamp at 'at'",
    );
    throwsSerialization(() => validateInput(Request, [1]), 'Start of list found where not expected.');
  });

  it('returns a typed copy: unknown members dropped, epoch seconds turned into a Date', () => {
    const input = validateInput(Request, { HumanLoopName: 'a', Unknown: 1, At: 1582502400.5, SortOrder: 'Ascending' });
    assert.deepEqual(input, { HumanLoopName: 'a', At: new Date(1582502400500), SortOrder: 'Ascending' });
    const order: 'Ascending' | 'Descending' | undefined = input.SortOrder;
    assert.equal(order, 'Ascending');
  });

  it('checks exactly-one-of rules on nested structures and on the request itself', () => {
    const Pick = structure(
      { A: string(), B: string(), Items: list(structure({ X: string(), Y: string() }, { exactlyOneOf: ['X', 'Y'] })) },
      { exactlyOneOf: ['A', 'B'] },
    );
    assert.deepEqual(validateInput(Pick, { A: 'a', Items: [{ X: 'x' }, { Y: 'y' }] }), {
      A: 'a',
      Items: [{ X: 'x' }, { Y: 'y' }],
    });
    throwsValidation(
      () => validateInput(Pick, { A: 'a', B: 'b', Items: [{ X: 'x', Y: 'y' }] }),
      '2 validation errors detected: ' +
        [
          "Value at 'items.1.member' failed to satisfy constraint: Exactly one of [x, y] must be set",
          'Input failed to satisfy constraint: Exactly one of [a, b] must be set',
        ].join('; '),
    );
  });

  it("parses query strings with source 'query'", () => {
    const Query = structure({ MaxResults: integer({ min: 1, max: 100 }), After: timestamp('epoch-seconds') });
    assert.deepEqual(validateInput(Query, { MaxResults: '10', After: '2020-02-24' }, { source: 'query' }), {
      MaxResults: 10,
      After: new Date('2020-02-24T00:00:00Z'),
    });
    throwsSerialization(
      () => validateInput(Query, { MaxResults: 'ten' }, { source: 'query' }),
      "STRING_VALUE can not be converted to an Integer at 'maxResults'",
    );
  });
});

describe('parseDateTime', () => {
  it('accepts RFC 3339 with 0, 3 or 6 fractional digits, offsets, and a bare date', () => {
    assert.equal(parseDateTime('2020-02-24T00:00:00Z')?.toISOString(), '2020-02-24T00:00:00.000Z');
    assert.equal(parseDateTime('2020-02-25T01:02:03.456Z')?.toISOString(), '2020-02-25T01:02:03.456Z');
    assert.equal(parseDateTime('2020-02-25T01:02:03.456000Z')?.toISOString(), '2020-02-25T01:02:03.456Z');
    assert.equal(parseDateTime('2020-02-25T01:02:03+02:00')?.toISOString(), '2020-02-24T23:02:03.000Z');
    assert.equal(parseDateTime('2020-02-24')?.toISOString(), '2020-02-24T00:00:00.000Z');
  });
  it('rejects what is not a date-time', () => {
    for (const text of ['2020-02-30', '2020-13-01', '2020-01-01T24:00:00Z', '2020-01-01T00:00:00', '1582502400', '']) {
      assert.equal(parseDateTime(text), undefined, text);
    }
  });
});

describe('SageMaker input shapes', () => {
  const createFlowDefinition = {
    FlowDefinitionName: 'fd-forms',
    HumanLoopRequestSource: { AwsManagedHumanLoopRequestSource: 'AWS/Textract/AnalyzeDocument/Forms/V1' },
    HumanLoopActivationConfig: {
      HumanLoopActivationConditionsConfig: {
        HumanLoopActivationConditions: JSON.stringify({
          Conditions: [
            {
              ConditionType: 'ImportantFormKeyConfidenceCheck',
              ConditionParameters: { ImportantFormKey: 'Mail address', KeyValueBlockConfidenceLessThan: 60 },
            },
          ],
        }),
      },
    },
    HumanLoopConfig: {
      WorkteamArn: TEAM_ARN,
      HumanTaskUiArn: UI_ARN,
      TaskTitle: 'Review the form',
      TaskDescription: 'Check the key-value pairs Textract found',
      TaskCount: 3,
      TaskAvailabilityLifetimeInSeconds: 864000,
      TaskTimeLimitInSeconds: 3600,
      TaskKeywords: ['Document Review', 'Forms'],
      PublicWorkforceTaskPrice: { AmountInUsd: { Dollars: 0, Cents: 3, TenthFractionsOfACent: 6 } },
    },
    OutputConfig: {
      S3OutputPath: 's3://amzn-s3-demo-bucket/a2i-results',
      KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    },
    RoleArn: ROLE_ARN,
    Tags: [{ Key: 'team', Value: 'ml-ops' }, { Key: 'Bühne', Value: '' }],
  };

  it('CreateFlowDefinition: valid', () => {
    const input: sagemaker.CreateFlowDefinitionInput = validateInput(sagemaker.createFlowDefinitionShape, {
      ...createFlowDefinition,
      ClientToken: 'ignored',
    });
    assert.deepEqual(input, createFlowDefinition);
  });

  it('CreateFlowDefinition: every nested violation with its path', () => {
    throwsValidation(
      () =>
        validateInput(sagemaker.createFlowDefinitionShape, {
          FlowDefinitionName: 'Fd_1',
          HumanLoopConfig: {
            ...createFlowDefinition.HumanLoopConfig,
            TaskCount: 4,
            TaskTimeLimitInSeconds: 29,
            TaskAvailabilityLifetimeInSeconds: 0,
            TaskKeywords: ['ok', 'two  spaces'],
            TaskTitle: 'smile 😀',
            PublicWorkforceTaskPrice: { AmountInUsd: { Dollars: 3, Cents: 100, TenthFractionsOfACent: 10 } },
          },
          OutputConfig: { S3OutputPath: 'ftp://bucket/x' },
          Tags: [{ Key: 'k' }],
        }),
      '12 validation errors detected: ' +
        [
          violation("'Fd_1'", 'flowDefinitionName', 'Member must satisfy regular expression pattern: ^[a-z0-9](-*[a-z0-9]){0,62}'),
          violation(
            "'smile 😀'",
            'humanLoopConfig.taskTitle',
            String.raw`Member must satisfy regular expression pattern: ^[\t\n\r -\uD7FF\uE000-\uFFFD]*$`,
          ),
          violation("'4'", 'humanLoopConfig.taskCount', 'Member must have value less than or equal to 3'),
          violation("'0'", 'humanLoopConfig.taskAvailabilityLifetimeInSeconds', 'Member must have value greater than or equal to 1'),
          violation("'29'", 'humanLoopConfig.taskTimeLimitInSeconds', 'Member must have value greater than or equal to 30'),
          violation(
            "'two  spaces'",
            'humanLoopConfig.taskKeywords.2.member',
            'Member must satisfy regular expression pattern: ^[A-Za-z0-9]+( [A-Za-z0-9]+)*$',
          ),
          violation("'3'", 'humanLoopConfig.publicWorkforceTaskPrice.amountInUsd.dollars', 'Member must have value less than or equal to 2'),
          violation("'100'", 'humanLoopConfig.publicWorkforceTaskPrice.amountInUsd.cents', 'Member must have value less than or equal to 99'),
          violation(
            "'10'",
            'humanLoopConfig.publicWorkforceTaskPrice.amountInUsd.tenthFractionsOfACent',
            'Member must have value less than or equal to 9',
          ),
          violation(
            "'ftp://bucket/x'",
            'outputConfig.s3OutputPath',
            'Member must satisfy regular expression pattern: ^(https|s3)://([^/]+)/?(.*)$',
          ),
          violation('null', 'roleArn', 'Member must not be null'),
          violation('null', 'tags.1.member.value', 'Member must not be null'),
        ].join('; '),
    );
  });

  it('CreateFlowDefinition: activation conditions over 10240 characters, 51 tags', () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    assert.throws(
      () =>
        validateInput(sagemaker.createFlowDefinitionShape, {
          ...createFlowDefinition,
          HumanLoopActivationConfig: {
            HumanLoopActivationConditionsConfig: { HumanLoopActivationConditions: ' '.repeat(10241) },
          },
          Tags: tags,
        }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.match(error.message, /^2 validation errors detected: Value ' {256}\.\.\.' at 'humanLoopActivationConfig\.humanLoopActivationConditionsConfig\.humanLoopActivationConditions' failed to satisfy constraint: Member must have length less than or equal to 10240; Value '\[\{Key=k0, Value=v\}, /);
        assert.match(error.message, /' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/);
        return true;
      },
    );
  });

  it('CreateFlowDefinition: a wrong JSON type is a SerializationError naming the member', () => {
    throwsSerialization(
      () =>
        validateInput(sagemaker.createFlowDefinitionShape, {
          ...createFlowDefinition,
          HumanLoopConfig: { ...createFlowDefinition.HumanLoopConfig, TaskCount: '1' },
        }),
      "STRING_VALUE can not be converted to an Integer at 'humanLoopConfig.taskCount'",
    );
    throwsSerialization(
      () => validateInput(sagemaker.createFlowDefinitionShape, { ...createFlowDefinition, RoleArn: { Arn: ROLE_ARN } }),
      "Start of structure or map found where not expected at 'roleArn'.",
    );
  });

  it('DescribeFlowDefinition / DeleteFlowDefinition', () => {
    for (const shape of [sagemaker.describeFlowDefinitionShape, sagemaker.deleteFlowDefinitionShape]) {
      assert.deepEqual(validateInput(shape, { FlowDefinitionName: 'fd-forms' }), { FlowDefinitionName: 'fd-forms' });
      throwsValidation(
        () => validateInput(shape, {}),
        `1 validation error detected: ${violation('null', 'flowDefinitionName', 'Member must not be null')}`,
      );
    }
    // {0,62} in the pattern also caps the length, so a 64-character name breaks both constraints.
    const long = `'${'a'.repeat(64)}'`;
    throwsValidation(
      () => validateInput(sagemaker.describeFlowDefinitionShape, { FlowDefinitionName: 'a'.repeat(64) }),
      '2 validation errors detected: ' +
        [
          violation(long, 'flowDefinitionName', 'Member must have length less than or equal to 63'),
          violation(long, 'flowDefinitionName', 'Member must satisfy regular expression pattern: ^[a-z0-9](-*[a-z0-9]){0,62}'),
        ].join('; '),
    );
  });

  it('ListFlowDefinitions / ListHumanTaskUis: epoch-second timestamps, enum, 1..100', () => {
    for (const shape of [sagemaker.listFlowDefinitionsShape, sagemaker.listHumanTaskUisShape]) {
      const input: sagemaker.ListFlowDefinitionsInput = validateInput(shape, {
        CreationTimeAfter: 1582502400.5,
        CreationTimeBefore: 1582588800,
        SortOrder: 'Descending',
        NextToken: 'abc/+=',
        MaxResults: 5,
      });
      assert.deepEqual(input, {
        CreationTimeAfter: new Date('2020-02-24T00:00:00.500Z'),
        CreationTimeBefore: new Date('2020-02-25T00:00:00Z'),
        SortOrder: 'Descending',
        NextToken: 'abc/+=',
        MaxResults: 5,
      });
      assert.deepEqual(validateInput(shape, {}), {});
      throwsValidation(
        () => validateInput(shape, { SortOrder: 'descending', MaxResults: 101 }),
        '2 validation errors detected: ' +
          [
            violation("'descending'", 'sortOrder', 'Member must satisfy enum value set: [Ascending, Descending]'),
            violation("'101'", 'maxResults', 'Member must have value less than or equal to 100'),
          ].join('; '),
      );
    }
  });

  it('CreateHumanTaskUi', () => {
    const valid = {
      HumanTaskUiName: 'forms-ui',
      UiTemplate: { Content: '<crowd-form><p>{{ task.input.text }}</p></crowd-form>' },
      Tags: [{ Key: 'team', Value: 'ml-ops' }],
    };
    assert.deepEqual(validateInput(sagemaker.createHumanTaskUiShape, valid), valid);
    throwsValidation(
      () => validateInput(sagemaker.createHumanTaskUiShape, { HumanTaskUiName: 'Forms UI', UiTemplate: { Content: '' } }),
      '3 validation errors detected: ' +
        [
          violation("'Forms UI'", 'humanTaskUiName', 'Member must satisfy regular expression pattern: ^[a-z0-9](-*[a-z0-9])*'),
          violation("''", 'uiTemplate.content', 'Member must have length greater than or equal to 1'),
          violation("''", 'uiTemplate.content', String.raw`Member must satisfy regular expression pattern: [\S\s]+`),
        ].join('; '),
    );
    throwsSerialization(
      () => validateInput(sagemaker.createHumanTaskUiShape, { HumanTaskUiName: 'forms-ui', UiTemplate: '<p/>' }),
      "STRING_VALUE can not be converted to a Structure at 'uiTemplate'",
    );
  });

  it('DescribeHumanTaskUi / DeleteHumanTaskUi', () => {
    for (const shape of [sagemaker.describeHumanTaskUiShape, sagemaker.deleteHumanTaskUiShape]) {
      assert.deepEqual(validateInput(shape, { HumanTaskUiName: 'forms-ui' }), { HumanTaskUiName: 'forms-ui' });
      throwsValidation(
        () => validateInput(shape, { HumanTaskUiName: '-ui' }),
        `1 validation error detected: ${violation("'-ui'", 'humanTaskUiName', 'Member must satisfy regular expression pattern: ^[a-z0-9](-*[a-z0-9])*')}`,
      );
    }
  });

  const cognito = {
    CognitoMemberDefinition: { UserPool: 'us-east-1_AbCdEf123', UserGroup: 'reviewers', ClientId: '1example23456789' },
  };
  const createWorkteam = {
    WorkteamName: 'Reviewers',
    WorkforceName: 'default',
    MemberDefinitions: [cognito],
    Description: 'People who review forms',
    NotificationConfiguration: { NotificationTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:a2i-tasks` },
    WorkerAccessConfiguration: { S3Presign: { IamPolicyConstraints: { SourceIp: 'Enabled', VpcSourceIp: 'Disabled' } } },
    Tags: [{ Key: 'team', Value: 'ml-ops' }],
  };

  it('CreateWorkteam: valid (Cognito and OIDC)', () => {
    const input: sagemaker.CreateWorkteamInput = validateInput(sagemaker.createWorkteamShape, createWorkteam);
    assert.deepEqual(input, createWorkteam);
    const oidc = { WorkteamName: 'oidc-team', Description: 'd', MemberDefinitions: [{ OidcMemberDefinition: { Groups: ['group-1', 'Prüfer'] } }] };
    assert.deepEqual(validateInput(sagemaker.createWorkteamShape, oidc), oidc);
  });

  it('CreateWorkteam: member definitions need exactly one of Cognito / OIDC, 1..10 of them', () => {
    throwsValidation(
      () =>
        validateInput(sagemaker.createWorkteamShape, {
          ...createWorkteam,
          MemberDefinitions: [{ ...cognito, OidcMemberDefinition: { Groups: [] } }, {}],
        }),
      '3 validation errors detected: ' +
        [
          violation("'[]'", 'memberDefinitions.1.member.oidcMemberDefinition.groups', 'Member must have length greater than or equal to 1'),
          "Value at 'memberDefinitions.1.member' failed to satisfy constraint: Exactly one of [cognitoMemberDefinition, oidcMemberDefinition] must be set",
          "Value at 'memberDefinitions.2.member' failed to satisfy constraint: Exactly one of [cognitoMemberDefinition, oidcMemberDefinition] must be set",
        ].join('; '),
    );
    throwsValidation(
      () =>
        validateInput(sagemaker.createWorkteamShape, {
          WorkteamName: 'team_1',
          MemberDefinitions: [],
          Description: '',
          WorkforceName: '-bad',
          NotificationConfiguration: { NotificationTopicArn: 'topic' },
          WorkerAccessConfiguration: { S3Presign: { IamPolicyConstraints: { SourceIp: 'On' } } },
        }),
      '7 validation errors detected: ' +
        [
          violation("'team_1'", 'workteamName', 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}'),
          violation("'-bad'", 'workforceName', String.raw`Member must satisfy regular expression pattern: ^[a-zA-Z0-9]([a-zA-Z0-9\-]){0,62}$`),
          violation("'[]'", 'memberDefinitions', 'Member must have length greater than or equal to 1'),
          violation("''", 'description', 'Member must have length greater than or equal to 1'),
          violation("''", 'description', 'Member must satisfy regular expression pattern: .+'),
          violation(
            "'topic'",
            'notificationConfiguration.notificationTopicArn',
            String.raw`Member must satisfy regular expression pattern: arn:aws[a-z\-]*:sns:[a-z0-9\-]*:[0-9]{12}:[a-zA-Z0-9_.-]*`,
          ),
          violation(
            "'On'",
            'workerAccessConfiguration.s3Presign.iamPolicyConstraints.sourceIp',
            'Member must satisfy enum value set: [Enabled, Disabled]',
          ),
        ].join('; '),
    );
  });

  it('CreateWorkteam: Cognito member constraints', () => {
    throwsValidation(
      () =>
        validateInput(sagemaker.createWorkteamShape, {
          ...createWorkteam,
          MemberDefinitions: [{ CognitoMemberDefinition: { UserPool: 'nopool', UserGroup: 'a group', ClientId: 'tab\t' } }],
        }),
      '3 validation errors detected: ' +
        [
          violation("'nopool'", 'memberDefinitions.1.member.cognitoMemberDefinition.userPool', String.raw`Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`),
          violation("'a group'", 'memberDefinitions.1.member.cognitoMemberDefinition.userGroup', String.raw`Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`),
          violation("'tab\t'", 'memberDefinitions.1.member.cognitoMemberDefinition.clientId', 'Member must satisfy regular expression pattern: [ -~]+'),
        ].join('; '),
    );
  });

  it('DescribeWorkteam / DeleteWorkteam', () => {
    for (const shape of [sagemaker.describeWorkteamShape, sagemaker.deleteWorkteamShape]) {
      assert.deepEqual(validateInput(shape, { WorkteamName: 'Reviewers' }), { WorkteamName: 'Reviewers' });
      throwsValidation(
        () => validateInput(shape, { WorkteamName: '' }),
        '2 validation errors detected: ' +
          [
            violation("''", 'workteamName', 'Member must have length greater than or equal to 1'),
            violation("''", 'workteamName', 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}'),
          ].join('; '),
      );
    }
  });

  it('ListWorkteams', () => {
    const valid = { SortBy: 'CreateDate', SortOrder: 'Ascending', NameContains: 'Rev', MaxResults: 10 };
    assert.deepEqual(validateInput(sagemaker.listWorkteamsShape, valid), valid);
    throwsValidation(
      () => validateInput(sagemaker.listWorkteamsShape, { SortBy: 'CreationTime', NameContains: 'a b' }),
      '2 validation errors detected: ' +
        [
          violation("'CreationTime'", 'sortBy', 'Member must satisfy enum value set: [Name, CreateDate]'),
          violation("'a b'", 'nameContains', 'Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}'),
        ].join('; '),
    );
  });

  it('UpdateWorkteam', () => {
    const valid = { WorkteamName: 'Reviewers', MemberDefinitions: [cognito], Description: 'New description' };
    const input: sagemaker.UpdateWorkteamInput = validateInput(sagemaker.updateWorkteamShape, valid);
    assert.deepEqual(input, valid);
    const eleven = Array.from({ length: 11 }, () => cognito);
    assert.throws(
      () => validateInput(sagemaker.updateWorkteamShape, { WorkteamName: 'Reviewers', MemberDefinitions: eleven }),
      (error: unknown) =>
        error instanceof ValidationError &&
        error.message.startsWith("1 validation error detected: Value '[{CognitoMemberDefinition={UserPool=us-east-1_AbCdEf123, ") &&
        error.message.endsWith("' at 'memberDefinitions' failed to satisfy constraint: Member must have length less than or equal to 10"),
    );
    throwsValidation(
      () => validateInput(sagemaker.updateWorkteamShape, { Description: 'x'.repeat(201) }),
      '2 validation errors detected: ' +
        [
          violation('null', 'workteamName', 'Member must not be null'),
          violation(`'${'x'.repeat(201)}'`, 'description', 'Member must have length less than or equal to 200'),
        ].join('; '),
    );
  });

  it('RenderUiTemplate: valid with UiTemplate or with HumanTaskUiArn', () => {
    const byTemplate = {
      UiTemplate: { Content: '<p>{{ task.input.x }}</p>' },
      Task: { Input: '{"x":1}' },
      RoleArn: 'arn:aws:iam::123456789012:role/r',
    };
    const input: sagemaker.RenderUiTemplateInput = validateInput(sagemaker.renderUiTemplateShape, byTemplate);
    assert.deepEqual(input, byTemplate);
    const byArn = { HumanTaskUiArn: UI_ARN, Task: { Input: '{}' }, RoleArn: ROLE_ARN };
    assert.deepEqual(validateInput(sagemaker.renderUiTemplateShape, byArn), byArn);
  });

  it('RenderUiTemplate: invalid', () => {
    throwsValidation(
      () =>
        validateInput(sagemaker.renderUiTemplateShape, {
          UiTemplate: { Content: '<p/>' },
          HumanTaskUiArn: `arn:aws:sagemaker::${ACCOUNT}:human-task-ui/x`,
          Task: { Input: '1' },
          RoleArn: `arn:aws:iam::${ACCOUNT}:user/u`,
        }),
      '4 validation errors detected: ' +
        [
          violation("'1'", 'task.input', 'Member must have length greater than or equal to 2'),
          violation(
            `'arn:aws:iam::${ACCOUNT}:user/u'`,
            'roleArn',
            String.raw`Member must satisfy regular expression pattern: ^arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`,
          ),
          violation(
            `'arn:aws:sagemaker::${ACCOUNT}:human-task-ui/x'`,
            'humanTaskUiArn',
            String.raw`Member must satisfy regular expression pattern: arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]+:[0-9]{12}:human-task-ui/.*`,
          ),
          'Input failed to satisfy constraint: Exactly one of [uiTemplate, humanTaskUiArn] must be set',
        ].join('; '),
    );
    throwsValidation(
      () => validateInput(sagemaker.renderUiTemplateShape, { RoleArn: ROLE_ARN }),
      '2 validation errors detected: ' +
        [
          violation('null', 'task', 'Member must not be null'),
          'Input failed to satisfy constraint: Exactly one of [uiTemplate, humanTaskUiArn] must be set',
        ].join('; '),
    );
  });
});

describe('A2I runtime input shapes', () => {
  const start = {
    HumanLoopName: 'loop-1',
    FlowDefinitionArn: 'arn:aws:sagemaker:us-east-1:123456789012:flow-definition/my-fd',
    HumanLoopInput: { InputContent: '{"a":1}' },
    DataAttributes: { ContentClassifiers: ['FreeOfPersonallyIdentifiableInformation'] },
  };

  it('StartHumanLoop: the captured JS SDK body is valid', () => {
    const input: a2i.StartHumanLoopInput = validateInput(a2i.startHumanLoopShape, start);
    assert.deepEqual(input, start);
    const classifiers: a2i.ContentClassifier[] | undefined = input.DataAttributes?.ContentClassifiers;
    assert.deepEqual(classifiers, ['FreeOfPersonallyIdentifiableInformation']);
    const { DataAttributes: _, ...withoutAttributes } = start;
    assert.deepEqual(validateInput(a2i.startHumanLoopShape, withoutAttributes), withoutAttributes);
  });

  it('StartHumanLoop: invalid', () => {
    throwsValidation(
      () =>
        validateInput(a2i.startHumanLoopShape, {
          HumanLoopName: 'BAD_NAME!',
          FlowDefinitionArn: 'bad',
          HumanLoopInput: {},
          DataAttributes: { ContentClassifiers: ['FreeOfAdultContent', 'FreeOfViolence'] },
        }),
      '4 validation errors detected: ' +
        [
          violation("'BAD_NAME!'", 'humanLoopName', 'Member must satisfy regular expression pattern: ^[a-z0-9](-*[a-z0-9])*$'),
          violation(
            "'bad'",
            'flowDefinitionArn',
            String.raw`Member must satisfy regular expression pattern: arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:flow-definition/.*`,
          ),
          violation('null', 'humanLoopInput.inputContent', 'Member must not be null'),
          violation(
            "'FreeOfViolence'",
            'dataAttributes.contentClassifiers.2.member',
            'Member must satisfy enum value set: [FreeOfPersonallyIdentifiableInformation, FreeOfAdultContent]',
          ),
        ].join('; '),
    );
    throwsSerialization(
      () => validateInput(a2i.startHumanLoopShape, { ...start, HumanLoopInput: { InputContent: { a: 1 } } }),
      "Start of structure or map found where not expected at 'humanLoopInput.inputContent'.",
    );
  });

  it('StopHumanLoop', () => {
    assert.deepEqual(validateInput(a2i.stopHumanLoopShape, { HumanLoopName: 'loop-1' }), { HumanLoopName: 'loop-1' });
    throwsValidation(
      () => validateInput(a2i.stopHumanLoopShape, {}),
      `1 validation error detected: ${violation('null', 'humanLoopName', 'Member must not be null')}`,
    );
  });

  it('DescribeHumanLoop / DeleteHumanLoop labels', () => {
    const input: a2i.DescribeHumanLoopInput = a2i.validateHumanLoopNameLabel('stop');
    assert.deepEqual(input, { HumanLoopName: 'stop' });
    throwsValidation(
      () => a2i.validateHumanLoopNameLabel('a b/c'),
      `1 validation error detected: ${violation("'a b/c'", 'humanLoopName', 'Member must satisfy regular expression pattern: ^[a-z0-9](-*[a-z0-9])*$')}`,
    );
    throwsValidation(
      () => validateInput(a2i.deleteHumanLoopShape, { HumanLoopName: 'x'.repeat(64) }),
      `1 validation error detected: ${violation(`'${'x'.repeat(64)}'`, 'humanLoopName', 'Member must have length less than or equal to 63')}`,
    );
  });

  it('ListHumanLoops: the captured JS SDK and botocore queries', () => {
    const fromJs = a2i.validateListHumanLoopsQuery({
      CreationTimeAfter: '2020-02-24T00:00:00Z',
      CreationTimeBefore: '2020-02-25T01:02:03.456Z',
      FlowDefinitionArn: start.FlowDefinitionArn,
      MaxResults: '10',
      NextToken: 'abc/+=',
      SortOrder: 'Descending',
    });
    assert.deepEqual(fromJs, {
      CreationTimeAfter: new Date('2020-02-24T00:00:00Z'),
      CreationTimeBefore: new Date('2020-02-25T01:02:03.456Z'),
      FlowDefinitionArn: start.FlowDefinitionArn,
      SortOrder: 'Descending',
      NextToken: 'abc/+=',
      MaxResults: 10,
    });
    const fromBoto = a2i.validateListHumanLoopsQuery({
      FlowDefinitionArn: start.FlowDefinitionArn,
      CreationTimeAfter: '2020-02-24',
      CreationTimeBefore: '2020-02-25T01:02:03.456000Z',
      SortOrder: 'Ascending',
      MaxResults: '5',
      Unrelated: 'ignored',
    });
    const after: Date | undefined = fromBoto.CreationTimeAfter;
    assert.equal(after?.toISOString(), '2020-02-24T00:00:00.000Z');
    assert.equal(fromBoto.CreationTimeBefore?.toISOString(), '2020-02-25T01:02:03.456Z');
    assert.equal(fromBoto.MaxResults, 5);
    assert.equal('Unrelated' in fromBoto, false);
  });

  it('ListHumanLoops: invalid', () => {
    throwsValidation(
      () => a2i.validateListHumanLoopsQuery({ SortOrder: 'Newest', MaxResults: '0' }),
      '3 validation errors detected: ' +
        [
          violation('null', 'flowDefinitionArn', 'Member must not be null'),
          violation("'Newest'", 'sortOrder', 'Member must satisfy enum value set: [Ascending, Descending]'),
          violation("'0'", 'maxResults', 'Member must have value greater than or equal to 1'),
        ].join('; '),
    );
    throwsSerialization(
      () => a2i.validateListHumanLoopsQuery({ FlowDefinitionArn: start.FlowDefinitionArn, MaxResults: '1.5' }),
      "STRING_VALUE can not be converted to an Integer at 'maxResults'",
    );
    throwsSerialization(
      () => a2i.validateListHumanLoopsQuery({ FlowDefinitionArn: start.FlowDefinitionArn, CreationTimeBefore: '1582502400' }),
      "STRING_VALUE can not be converted to a Timestamp at 'creationTimeBefore'",
    );
  });
});
