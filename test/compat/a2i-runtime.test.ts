/**
 * The A2I runtime API through the real `@aws-sdk/client-sagemaker-a2i-runtime` client against a
 * listening Tandem, on SQLite and PostgreSQL: StartHumanLoop, DescribeHumanLoop,
 * ListHumanLoops, StopHumanLoop and DeleteHumanLoop as the service model and the A2I docs
 * describe them, and the outbox rows each state change writes.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, describe, test } from 'node:test';
import { DeleteFlowDefinitionCommand, DescribeFlowDefinitionCommand } from '@aws-sdk/client-sagemaker';
import {
  DeleteHumanLoopCommand,
  DescribeHumanLoopCommand,
  ListHumanLoopsCommand,
  StartHumanLoopCommand,
  StopHumanLoopCommand,
  type ListHumanLoopsCommandInput,
} from '@aws-sdk/client-sagemaker-a2i-runtime';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { flowDefinitionArn, humanLoopArn } from '../support/arns.js';
import { DIALECTS, dialectSkip } from '../support/databases.js';
import { createReviewSetup } from '../support/fixtures.js';
import { collectPages } from '../support/paging.js';
import { TEST_ACCOUNT_ID, TEST_REGION, useTestTandem, type TestTandem } from '../support/tandem.js';

const THREE_MIB = 3 * 1024 * 1024;
const NAME_PATTERN = '^[a-z0-9](-*[a-z0-9])*$';

interface ServiceError {
  name: string;
  message: string;
  $fault?: string;
  $metadata: { httpStatusCode?: number };
}

/** Awaits `promise`, which must fail with the SDK exception `name`, HTTP `status` and (optionally) a message. */
async function rejectsWith(promise: Promise<unknown>, name: string, status: number, message?: RegExp | string): Promise<ServiceError> {
  let caught: ServiceError | undefined;
  await assert.rejects(promise, (error: ServiceError) => {
    caught = error;
    return true;
  });
  const error = caught!;
  assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
  assert.equal(error.$metadata.httpStatusCode, status, `status of ${name}: ${error.message}`);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
  return error;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A JSON object whose text is exactly `length` UTF-16 units long, padded with `fill`. */
function jsonOfLength(length: number, fill = 'x'): string {
  const shell = '{"padding":""}';
  return `{"padding":"${fill.repeat(length - shell.length)}"}`;
}

for (const dialect of DIALECTS) {
  describe(dialect, { skip: dialectSkip(dialect) }, () => {
    let tandem: TestTandem;
    let flowArn: string;
    const input = JSON.stringify({ question: 'Cat or dog?', text: 'a small animal' });

    const start = (name: string, content = input, flow = flowArn) =>
      tandem.a2i.send(
        new StartHumanLoopCommand({
          HumanLoopName: name,
          FlowDefinitionArn: flow,
          HumanLoopInput: { InputContent: content },
        }),
      );
    const describeLoop = (name: string) => tandem.a2i.send(new DescribeHumanLoopCommand({ HumanLoopName: name }));
    const stop = (name: string) => tandem.a2i.send(new StopHumanLoopCommand({ HumanLoopName: name }));
    const remove = (name: string) => tandem.a2i.send(new DeleteHumanLoopCommand({ HumanLoopName: name }));
    const list = (request: Omit<ListHumanLoopsCommandInput, 'FlowDefinitionArn'> & { FlowDefinitionArn?: string }) =>
      tandem.a2i.send(new ListHumanLoopsCommand({ FlowDefinitionArn: flowArn, ...request }));
    /** Every page of a listing, following NextToken; also returns how many pages it took. */
    const listAll = async (request: Omit<ListHumanLoopsCommandInput, 'FlowDefinitionArn' | 'NextToken'> & { FlowDefinitionArn?: string }) => {
      const { items: summaries, pages } = await collectPages(
        async (NextToken) => {
          const page = await list({ ...request, NextToken });
          return { items: page.HumanLoopSummaries ?? [], nextToken: page.NextToken };
        },
        { pageLimit: 200 },
      );
      return { summaries, pages };
    };
    const loopArn = (name: string) => humanLoopArn(TEST_ACCOUNT_ID, name);

    useTestTandem(dialect, async (started) => {
      tandem = started;
      ({ FlowDefinitionArn: flowArn } = await createReviewSetup(tandem, 'runtime'));
    });

    describe('StartHumanLoop and DescribeHumanLoop', () => {
      test('start returns the loop ARN; describe shows it InProgress with a Date CreationTime', async () => {
        const before = Date.now();
        const { HumanLoopArn, $metadata } = await start('first-loop');
        assert.equal($metadata.httpStatusCode, 200);
        assert.equal(HumanLoopArn, loopArn('first-loop'));

        const loop = await describeLoop('first-loop');
        assert.equal(loop.HumanLoopName, 'first-loop');
        assert.equal(loop.HumanLoopArn, HumanLoopArn);
        assert.equal(loop.HumanLoopStatus, 'InProgress');
        assert.equal(loop.FlowDefinitionArn, flowArn);
        assert.ok(loop.CreationTime instanceof Date, 'CreationTime is a Date');
        assert.ok(loop.CreationTime.getTime() >= before - 1000 && loop.CreationTime.getTime() <= Date.now() + 1000);
        assert.equal(loop.FailureReason, undefined);
        assert.equal(loop.FailureCode, undefined);
        assert.equal(loop.HumanLoopOutput, undefined);
      });

      test('DataAttributes.ContentClassifiers are accepted', async () => {
        const { HumanLoopArn } = await tandem.a2i.send(
          new StartHumanLoopCommand({
            HumanLoopName: 'classified',
            FlowDefinitionArn: flowArn,
            HumanLoopInput: { InputContent: input },
            DataAttributes: { ContentClassifiers: ['FreeOfPersonallyIdentifiableInformation', 'FreeOfAdultContent'] },
          }),
        );
        assert.equal(HumanLoopArn, loopArn('classified'));
      });

      test('names of 1 and 63 characters in the documented pattern are accepted', async () => {
        for (const name of ['a', '7', 'a--b', `n${'-0'.repeat(31)}`]) {
          assert.ok(name.length <= 63);
          const { HumanLoopArn } = await start(name);
          assert.equal(HumanLoopArn, loopArn(name));
          assert.equal((await describeLoop(name)).HumanLoopName, name);
        }
      });

      test('HumanLoopName outside the pattern is a ValidationException naming the pattern', async () => {
        for (const name of ['Upper', 'under_score', '-lead', 'trail-', 'dot.ted', 'space d', 'émile']) {
          await rejectsWith(
            start(name),
            'ValidationException',
            400,
            `1 validation error detected: Value '${name}' at 'humanLoopName' failed to satisfy constraint: ` +
              `Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
          );
        }
      });

      test('a 64-character HumanLoopName is a ValidationException on length', async () => {
        const name = 'a'.repeat(64);
        await rejectsWith(
          start(name),
          'ValidationException',
          400,
          `1 validation error detected: Value '${name}' at 'humanLoopName' failed to satisfy constraint: ` +
            'Member must have length less than or equal to 63',
        );
      });

      test('a name label outside the pattern is a ValidationException on Describe, Delete and Stop', async () => {
        const expected = new RegExp(`at 'humanLoopName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${escapeRegExp(NAME_PATTERN)}$`);
        await rejectsWith(describeLoop('Not_Valid'), 'ValidationException', 400, expected);
        await rejectsWith(remove('Not_Valid'), 'ValidationException', 400, expected);
        await rejectsWith(stop('Not_Valid'), 'ValidationException', 400, expected);
        // A '/' inside the label is percent-encoded by the SDK and must not reach another route.
        await rejectsWith(describeLoop('a/b'), 'ValidationException', 400, expected);
      });

      test('InputContent must be JSON text', async () => {
        await rejectsWith(start('not-json', 'this is not json'), 'ValidationException', 400, /InputContent is not valid JSON/);
        await rejectsWith(start('truncated-json', '{"a":'), 'ValidationException', 400, /InputContent is not valid JSON/);
        await rejectsWith(start('empty-input', ''), 'ValidationException', 400, /InputContent is not valid JSON/);
        for (const [name, content] of [
          ['array-input', '[1,2]'],
          ['string-input', '"text"'],
          ['number-input', '42'],
          ['null-input', 'null'],
        ] as const) {
          await rejectsWith(start(name, content), 'ValidationException', 400, /InputContent must be a JSON object/);
        }
        for (const name of ['not-json', 'truncated-json', 'empty-input', 'array-input', 'null-input']) {
          await rejectsWith(describeLoop(name), 'ResourceNotFoundException', 404);
        }
      });

      test('InputContent of exactly 3 MiB is accepted', async () => {
        const content = jsonOfLength(THREE_MIB);
        assert.equal(content.length, THREE_MIB);
        assert.equal((await start('three-mib', content)).HumanLoopArn, loopArn('three-mib'));
        // The same 3 MiB again is the same loop (idempotent), the full text having been stored.
        assert.equal((await start('three-mib', content)).HumanLoopArn, loopArn('three-mib'));
      });

      test('InputContent of 3 MiB + 1 is a ValidationException (400), not 413 or 5xx', async () => {
        const content = jsonOfLength(THREE_MIB + 1);
        await rejectsWith(
          start('too-large', content),
          'ValidationException',
          400,
          /at 'humanLoopInput\.inputContent' failed to satisfy constraint: Member must have length less than or equal to 3145728$/,
        );
        // JSON escaping doubles a quote-heavy input on the wire (~6 MiB body): still a 400.
        const quoted = `{"q":"${'\\"'.repeat((THREE_MIB - 8) / 2)}x"}`;
        assert.equal(quoted.length, THREE_MIB + 1);
        assert.equal(JSON.parse(quoted).q.length, (THREE_MIB - 8) / 2 + 1);
        await rejectsWith(start('too-large', quoted), 'ValidationException', 400, /less than or equal to 3145728$/);
        await rejectsWith(describeLoop('too-large'), 'ResourceNotFoundException', 404);
      });

      test('InputContent of 3 MiB of non-ASCII text (9 MiB of UTF-8 on the wire) is accepted', async () => {
        const content = jsonOfLength(THREE_MIB, '€');
        assert.equal(content.length, THREE_MIB);
        assert.equal((await start('three-mib-euro', content)).HumanLoopArn, loopArn('three-mib-euro'));
        await rejectsWith(start('too-large-euro', jsonOfLength(THREE_MIB + 1, '€')), 'ValidationException', 400, /less than or equal to 3145728$/);
      });

      test('a missing or malformed FlowDefinitionArn is a ValidationException', async () => {
        await rejectsWith(start('bad-arn', input, 'not-an-arn'), 'ValidationException', 400, /at 'flowDefinitionArn' failed to satisfy constraint: Member must satisfy regular expression pattern/);
        await rejectsWith(
          tandem.a2i.send(new StartHumanLoopCommand({ HumanLoopName: 'no-arn', HumanLoopInput: { InputContent: input } } as never)),
          'ValidationException',
          400,
          /Value null at 'flowDefinitionArn' failed to satisfy constraint: Member must not be null/,
        );
        await rejectsWith(
          tandem.a2i.send(new StartHumanLoopCommand({ HumanLoopName: 'no-input', FlowDefinitionArn: flowArn } as never)),
          'ValidationException',
          400,
          /Value null at 'humanLoopInput' failed to satisfy constraint: Member must not be null/,
        );
      });

      test('an unknown flow definition is a ResourceNotFoundException (404)', async () => {
        const unknown = flowDefinitionArn(TEST_ACCOUNT_ID, 'no-such-flow');
        await rejectsWith(start('orphan', input, unknown), 'ResourceNotFoundException', 404, /no-such-flow/);
        // Another region's ARN names a flow this Tandem cannot have.
        await rejectsWith(start('orphan', input, unknown.replace(TEST_REGION, 'eu-west-1')), 'ResourceNotFoundException', 404);
        await rejectsWith(describeLoop('orphan'), 'ResourceNotFoundException', 404);
      });

      test('the same name and input again returns the same ARN and creates nothing new', async () => {
        const first = await start('idempotent', input);
        const second = await start('idempotent', input);
        assert.equal(second.HumanLoopArn, first.HumanLoopArn);
        const rows = await tandem.resources.store.db
          .selectFrom('outbox')
          .select('topic')
          .where('subject_arn', '=', first.HumanLoopArn!)
          .execute();
        assert.deepEqual(rows.map((r) => r.topic), ['human-loop.created']);
      });

      test('the same name with different input is a ConflictException (409)', async () => {
        await start('conflicting', input);
        await rejectsWith(start('conflicting', JSON.stringify({ other: true })), 'ConflictException', 409, /different input/);
        // Key order is part of the text: different text, different input.
        await rejectsWith(start('conflicting', ` ${input}`), 'ConflictException', 409);
        const loop = await describeLoop('conflicting');
        assert.equal(loop.HumanLoopStatus, 'InProgress');
      });

      test('the same name and input on another flow is a ConflictException', async () => {
        const other = await createReviewSetup(tandem, 'runtime-other');
        await start('flow-bound', input);
        await rejectsWith(start('flow-bound', input, other.FlowDefinitionArn), 'ConflictException', 409);
        assert.equal((await describeLoop('flow-bound')).FlowDefinitionArn, flowArn);
      });

      test('ten concurrent starts of one name make exactly one loop, and all get its ARN', async () => {
        const results = await Promise.allSettled(Array.from({ length: 10 }, () => start('raced', input)));
        const failures = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
        assert.deepEqual(failures, []);
        const arns = new Set(results.map((r) => (r as PromiseFulfilledResult<{ HumanLoopArn?: string }>).value.HumanLoopArn));
        assert.deepEqual([...arns], [loopArn('raced')]);

        const db = tandem.resources.store.db;
        const loops = await db.selectFrom('human_loops').select('id').where('name', '=', 'raced').execute();
        assert.equal(loops.length, 1);
        const events = await db.selectFrom('outbox').select('topic').where('subject_arn', '=', loopArn('raced')).execute();
        assert.deepEqual(events.map((e) => e.topic), ['human-loop.created']);
      });

      test('ten concurrent starts of one name with different inputs: one wins, the rest conflict', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => start('raced-differently', JSON.stringify({ attempt: i }))),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
        assert.equal(won.length, 1);
        assert.equal(lost.length, 9);
        for (const failure of lost) assert.equal((failure.reason as ServiceError).name, 'ConflictException');
        const loops = await tandem.resources.store.db
          .selectFrom('human_loops')
          .select('input_content')
          .where('name', '=', 'raced-differently')
          .execute();
        assert.equal(loops.length, 1);
      });
    });

    describe('ListHumanLoops', () => {
      let listFlowArn: string;
      const names = Array.from({ length: 7 }, (_, i) => `listed-${i}`);
      const created = new Map<string, Date>();

      before(async () => {
        ({ FlowDefinitionArn: listFlowArn } = await createReviewSetup(tandem, 'listing'));
        for (const name of names) {
          await start(name, input, listFlowArn);
          created.set(name, (await describeLoop(name)).CreationTime!);
          await sleep(3); // distinct creation times, so the time filters have edges to test
        }
      });

      test('requires FlowDefinitionArn: the SDK refuses to send without it, the server answers 400', async () => {
        await assert.rejects(
          tandem.a2i.send(new ListHumanLoopsCommand({} as ListHumanLoopsCommandInput)),
          /FlowDefinitionArn/,
        );
        // What a hand-made (or other-language) client gets: signed, but without the query member.
        const url = new URL(tandem.url);
        const signer = new SignatureV4({ credentials: tandem.credentials, region: TEST_REGION, service: 'sagemaker', sha256: Sha256 });
        const signed = await signer.sign(
          new HttpRequest({ protocol: 'http:', hostname: url.hostname, port: Number(url.port), method: 'GET', path: '/human-loops', headers: { host: url.host } }),
        );
        const { host: _host, ...headers } = signed.headers;
        const response = await fetch(`${tandem.url}/human-loops`, { headers });
        assert.equal(response.status, 400);
        assert.equal(response.headers.get('x-amzn-errortype'), 'ValidationException');
        assert.deepEqual(await response.json(), {
          __type: 'ValidationException',
          Message: "1 validation error detected: Value null at 'flowDefinitionArn' failed to satisfy constraint: Member must not be null",
          message: "1 validation error detected: Value null at 'flowDefinitionArn' failed to satisfy constraint: Member must not be null",
        });
      });

      test('lists the flow loops only, newest first by default, with summaries', async () => {
        const { HumanLoopSummaries, NextToken } = await list({ FlowDefinitionArn: listFlowArn });
        assert.equal(NextToken, undefined);
        assert.deepEqual(HumanLoopSummaries!.map((s) => s.HumanLoopName), [...names].reverse());
        for (const summary of HumanLoopSummaries!) {
          assert.equal(summary.HumanLoopStatus, 'InProgress');
          assert.equal(summary.FlowDefinitionArn, listFlowArn);
          assert.ok(summary.CreationTime instanceof Date);
          assert.equal(summary.CreationTime.getTime(), created.get(summary.HumanLoopName!)!.getTime());
        }
      });

      test('SortOrder Ascending and Descending', async () => {
        const ascending = await list({ FlowDefinitionArn: listFlowArn, SortOrder: 'Ascending' });
        assert.deepEqual(ascending.HumanLoopSummaries!.map((s) => s.HumanLoopName), names);
        const descending = await list({ FlowDefinitionArn: listFlowArn, SortOrder: 'Descending' });
        assert.deepEqual(descending.HumanLoopSummaries!.map((s) => s.HumanLoopName), [...names].reverse());
        await rejectsWith(list({ FlowDefinitionArn: listFlowArn, SortOrder: 'Sideways' as never }), 'ValidationException', 400, /sortOrder/);
      });

      test('CreationTimeAfter and CreationTimeBefore filter by creation time', async () => {
        const third = created.get('listed-2')!;
        const fifth = created.get('listed-4')!;
        const after = await listAll({ FlowDefinitionArn: listFlowArn, CreationTimeAfter: third, SortOrder: 'Ascending' });
        assert.deepEqual(after.summaries.map((s) => s.HumanLoopName), names.slice(3));
        const before = await listAll({ FlowDefinitionArn: listFlowArn, CreationTimeBefore: fifth, SortOrder: 'Ascending' });
        assert.deepEqual(before.summaries.map((s) => s.HumanLoopName), names.slice(0, 4));
        const between = await listAll({
          FlowDefinitionArn: listFlowArn,
          CreationTimeAfter: third,
          CreationTimeBefore: fifth,
          SortOrder: 'Ascending',
        });
        assert.deepEqual(between.summaries.map((s) => s.HumanLoopName), ['listed-3']);
        const future = await list({ FlowDefinitionArn: listFlowArn, CreationTimeAfter: new Date(Date.now() + 60_000) });
        assert.deepEqual(future.HumanLoopSummaries, []);
      });

      test('MaxResults is 1..100: 0 and 101 are ValidationExceptions', async () => {
        await rejectsWith(
          list({ FlowDefinitionArn: listFlowArn, MaxResults: 0 }),
          'ValidationException',
          400,
          "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
        );
        await rejectsWith(
          list({ FlowDefinitionArn: listFlowArn, MaxResults: 101 }),
          'ValidationException',
          400,
          "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
        );
        assert.equal((await list({ FlowDefinitionArn: listFlowArn, MaxResults: 100 })).HumanLoopSummaries!.length, names.length);
        assert.equal((await list({ FlowDefinitionArn: listFlowArn, MaxResults: 1 })).HumanLoopSummaries!.length, 1);
      });

      test('NextToken paging returns every loop exactly once, in both orders', async () => {
        for (const SortOrder of ['Ascending', 'Descending'] as const) {
          for (const MaxResults of [1, 2, 3, 7]) {
            const { summaries, pages } = await listAll({ FlowDefinitionArn: listFlowArn, SortOrder, MaxResults });
            const expected = SortOrder === 'Ascending' ? names : [...names].reverse();
            assert.deepEqual(summaries.map((s) => s.HumanLoopName), expected, `${SortOrder} by ${MaxResults}`);
            assert.equal(pages, Math.ceil(names.length / MaxResults), `${SortOrder} by ${MaxResults}: pages`);
          }
        }
      });

      test('a tampered or foreign NextToken is a ValidationException (400)', async () => {
        const { NextToken } = await list({ FlowDefinitionArn: listFlowArn, MaxResults: 2 });
        assert.ok(NextToken);
        const last = NextToken.at(-1) === 'A' ? 'B' : 'A';
        for (const token of [`${NextToken.slice(0, -1)}${last}`, `x${NextToken}`, 'garbage', 'a.b.c', '.', NextToken.split('.')[0]!]) {
          await rejectsWith(list({ FlowDefinitionArn: listFlowArn, MaxResults: 2, NextToken: token }), 'ValidationException', 400, /NextToken/);
        }
        // A token continues only the listing that produced it.
        await rejectsWith(list({ FlowDefinitionArn: listFlowArn, MaxResults: 2, SortOrder: 'Ascending', NextToken }), 'ValidationException', 400);
        await rejectsWith(list({ FlowDefinitionArn: flowArn, MaxResults: 2, NextToken }), 'ValidationException', 400);
      });

      test('an unknown or malformed flow is an error, not an empty list', async () => {
        const unknown = flowDefinitionArn(TEST_ACCOUNT_ID, 'never-made');
        await rejectsWith(list({ FlowDefinitionArn: unknown }), 'ResourceNotFoundException', 404);
        await rejectsWith(list({ FlowDefinitionArn: 'bogus' }), 'ValidationException', 400, /flowDefinitionArn/);
      });
    });

    describe('StopHumanLoop and DeleteHumanLoop', () => {
      test('stop: InProgress → Stopped; stopping twice is fine; describe shows Stopped', async () => {
        await start('to-stop');
        const stopped = await stop('to-stop');
        assert.equal(stopped.$metadata.httpStatusCode, 200);
        assert.equal((await describeLoop('to-stop')).HumanLoopStatus, 'Stopped');
        await stop('to-stop');
        assert.equal((await describeLoop('to-stop')).HumanLoopStatus, 'Stopped');
      });

      test('stopping or deleting an unknown loop is a ResourceNotFoundException (404)', async () => {
        await rejectsWith(stop('never-started'), 'ResourceNotFoundException', 404, /never-started/);
        await rejectsWith(remove('never-started'), 'ResourceNotFoundException', 404, /never-started/);
        await rejectsWith(describeLoop('never-started'), 'ResourceNotFoundException', 404, /never-started/);
      });

      test('a loop named "stop" is described and deleted through its label, not the Stop route', async () => {
        await start('stop');
        assert.equal((await describeLoop('stop')).HumanLoopName, 'stop');
        await stop('stop');
        await remove('stop');
        await rejectsWith(describeLoop('stop'), 'ResourceNotFoundException', 404);
      });

      test('deleting an InProgress loop is a ValidationException; the loop stays', async () => {
        await start('still-running');
        await rejectsWith(remove('still-running'), 'ValidationException', 400, /InProgress/);
        assert.equal((await describeLoop('still-running')).HumanLoopStatus, 'InProgress');
      });

      test('a stopped loop is deleted: gone from Describe (404), List and a second Delete (404)', async () => {
        const { FlowDefinitionArn: deletionFlow } = await createReviewSetup(tandem, 'deletion');
        await start('doomed', input, deletionFlow);
        await start('survivor', input, deletionFlow);
        await stop('doomed');
        const deleted = await remove('doomed');
        assert.equal(deleted.$metadata.httpStatusCode, 200);
        await rejectsWith(describeLoop('doomed'), 'ResourceNotFoundException', 404);
        await rejectsWith(remove('doomed'), 'ResourceNotFoundException', 404);
        await rejectsWith(stop('doomed'), 'ResourceNotFoundException', 404);
        const { summaries } = await listAll({ FlowDefinitionArn: deletionFlow });
        assert.deepEqual(summaries.map((s) => s.HumanLoopName), ['survivor']);
      });

      test('DeleteFlowDefinition with an InProgress loop is ResourceInUse; after the stop it succeeds', async () => {
        const { FlowDefinitionArn: busyFlow } = await createReviewSetup(tandem, 'busy');
        await start('keeps-flow-busy', input, busyFlow);
        let caught: ServiceError | undefined;
        await assert.rejects(tandem.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'busy-flow' })), (error: ServiceError) => {
          caught = error;
          return true;
        });
        assert.equal(caught!.name, 'ResourceInUse');
        assert.equal(caught!.$metadata.httpStatusCode, 400);
        assert.equal(caught!.$fault, 'client');
        const flow = await tandem.sagemaker.send(new DescribeFlowDefinitionCommand({ FlowDefinitionName: 'busy-flow' }));
        assert.equal(flow.FlowDefinitionStatus, 'Active');

        await stop('keeps-flow-busy');
        await tandem.sagemaker.send(new DeleteFlowDefinitionCommand({ FlowDefinitionName: 'busy-flow' }));
        // The finished loop is still there to describe.
        assert.equal((await describeLoop('keeps-flow-busy')).HumanLoopStatus, 'Stopped');
        await rejectsWith(start('after-flow-gone', input, busyFlow), 'ResourceNotFoundException', 404);
      });

      test('each state change writes its outbox row, in order, with its time', async () => {
        const db = tandem.resources.store.db;
        const arn = loopArn('audited');
        const t0 = Date.now();
        await start('audited');
        const createdAt = (await describeLoop('audited')).CreationTime!.getTime();
        await sleep(5);
        const t1 = Date.now();
        await stop('audited');
        const stoppedRow = await db
          .selectFrom('human_loops')
          .select(['stop_requested_at', 'stopped_at', 'status'])
          .where('arn', '=', arn)
          .executeTakeFirstOrThrow();
        assert.equal(stoppedRow.status, 'Stopped');
        await sleep(5);
        const t2 = Date.now();
        await remove('audited');
        const t3 = Date.now();

        const rows = await db
          .selectFrom('outbox')
          .select(['topic', 'created_at', 'payload', 'account_id', 'dispatched_at'])
          .where('subject_arn', '=', arn)
          .orderBy('id')
          .execute();
        assert.deepEqual(
          rows.map((r) => r.topic),
          ['human-loop.created', 'human-loop.stopping', 'human-loop.stopped', 'human-loop.deleted'],
        );
        const [created, stopping, stopped, deleted] = rows.map((r) => Number(r.created_at)) as [number, number, number, number];
        assert.equal(created, createdAt, 'created row carries the loop creation time');
        assert.ok(t0 <= created && created <= t1, 'created during StartHumanLoop');
        assert.ok(t1 <= stopping && stopping <= stopped && stopped <= t2, 'stopping, then stopped, during StopHumanLoop');
        assert.equal(stopping, Number(stoppedRow.stop_requested_at));
        assert.equal(stopped, Number(stoppedRow.stopped_at));
        assert.ok(t2 <= deleted && deleted <= t3, 'deleted during DeleteHumanLoop');
        assert.ok(created < stopping && stopped < deleted, 'separate calls have increasing times');

        const payloads = rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
        assert.deepEqual(payloads.map((p) => p.humanLoopStatus), ['InProgress', 'Stopping', 'Stopped', 'Stopped']);
        for (const [i, payload] of payloads.entries()) {
          assert.equal(payload.humanLoopArn, arn);
          assert.equal(payload.humanLoopName, 'audited');
          assert.equal(payload.flowDefinitionArn, flowArn);
          assert.equal(payload.creationTime, new Date(created).toISOString());
          assert.equal(payload.eventTime, new Date(Number(rows[i]!.created_at)).toISOString());
        }
        for (const row of rows) assert.equal(row.account_id, TEST_ACCOUNT_ID);
      });

      test('ten concurrent stops, then ten concurrent deletes, announce each change once', async () => {
        const arn = loopArn('stampede');
        await start('stampede');
        const stops = await Promise.allSettled(Array.from({ length: 10 }, () => stop('stampede')));
        assert.deepEqual(stops.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)), []);
        assert.equal((await describeLoop('stampede')).HumanLoopStatus, 'Stopped');

        const deletes = await Promise.allSettled(Array.from({ length: 10 }, () => remove('stampede')));
        assert.ok(deletes.some((r) => r.status === 'fulfilled'), 'one delete succeeds');
        for (const result of deletes) {
          if (result.status === 'rejected') assert.equal((result.reason as ServiceError).name, 'ResourceNotFoundException');
        }
        await rejectsWith(describeLoop('stampede'), 'ResourceNotFoundException', 404);

        const rows = await tandem.resources.store.db
          .selectFrom('outbox')
          .select('topic')
          .where('subject_arn', '=', arn)
          .orderBy('id')
          .execute();
        assert.deepEqual(
          rows.map((r) => r.topic),
          ['human-loop.created', 'human-loop.stopping', 'human-loop.stopped', 'human-loop.deleted'],
        );
      });

      test('a loop name is free again once its loop is deleted', async () => {
        await start('reborn', JSON.stringify({ life: 1 }));
        await stop('reborn');
        await remove('reborn');
        const { HumanLoopArn } = await start('reborn', JSON.stringify({ life: 2 }));
        assert.equal(HumanLoopArn, loopArn('reborn'));
        assert.equal((await describeLoop('reborn')).HumanLoopStatus, 'InProgress');
      });
    });
  });
}
