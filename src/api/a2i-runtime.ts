import type { FastifyInstance } from 'fastify';
import * as loops from '../operations/human-loops.js';
import type { Resources } from '../resources.js';
import {
  startHumanLoopShape,
  stopHumanLoopShape,
  validateHumanLoopNameLabel,
  validateListHumanLoopsQuery,
} from './a2i-runtime-shapes.js';
import { parseJsonBody } from './aws/json-body.js';
import { validateInput } from './aws/shape-validation.js';
import { bodyOf, sendResult } from './aws-api.js';
import { REVIEW_HOOKS } from './review-hooks.js';

/**
 * Body limit of StartHumanLoop: room for the longest valid request on the wire. InputContent may
 * hold 3,145,728 UTF-16 units, and each can take 6 bytes in the JSON body (botocore's
 * `json.dumps` writes every non-ASCII character as `\uXXXX`; the JS SDK sends UTF-8, up to 3
 * bytes), so a valid request can be ~18 MiB, past the server-wide limit. With this limit an
 * over-long InputContent is answered by the shape's length check (ValidationException 400), not 413.
 */
export const START_HUMAN_LOOP_BODY_LIMIT_BYTES = 6 * 3_145_728 + 64 * 1024;

/**
 * The A2I runtime API (restJson1): `/human-loops` routes. `POST /human-loops/stop` is declared
 * before `/human-loops/:name`; `stop` is a valid loop name, but only GET and DELETE take one.
 */
export async function registerA2iRuntime(app: FastifyInstance, resources: Resources) {
  app.post('/human-loops', { bodyLimit: START_HUMAN_LOOP_BODY_LIMIT_BYTES }, async (request, reply) => {
    const input = validateInput(startHumanLoopShape, parseJsonBody(bodyOf(request)));
    const result = await loops.startHumanLoop(resources, request.caller!, input, REVIEW_HOOKS.onStarted);
    return sendResult(reply, request, 'restJson1', result);
  });

  app.get('/human-loops', async (request, reply) => {
    const input = validateListHumanLoopsQuery(request.query as Record<string, string | undefined>);
    return sendResult(reply, request, 'restJson1', await loops.listHumanLoops(resources, request.caller!, input));
  });

  app.post('/human-loops/stop', async (request, reply) => {
    const { HumanLoopName } = validateInput(stopHumanLoopShape, parseJsonBody(bodyOf(request)));
    const result = await loops.stopHumanLoop(resources, request.caller!, HumanLoopName, REVIEW_HOOKS.onStopped);
    return sendResult(reply, request, 'restJson1', result);
  });

  app.get<{ Params: { name: string } }>('/human-loops/:name', async (request, reply) => {
    const { HumanLoopName } = validateHumanLoopNameLabel(request.params.name);
    return sendResult(reply, request, 'restJson1', await loops.describeHumanLoop(resources, request.caller!, HumanLoopName));
  });

  app.delete<{ Params: { name: string } }>('/human-loops/:name', async (request, reply) => {
    const { HumanLoopName } = validateHumanLoopNameLabel(request.params.name);
    return sendResult(reply, request, 'restJson1', await loops.deleteHumanLoop(resources, request.caller!, HumanLoopName));
  });
}
