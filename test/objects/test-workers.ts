import { REVIEW_HOOKS } from '../../src/api/review-hooks.js';
import { startHumanLoop } from '../../src/operations/human-loops.js';
import type { WorkerIdentity } from '../../src/operations/reviews.js';
import type { Caller } from '../../src/resources.js';
import type { TestResources } from '../support/resources.js';

/** An active Tandem-password worker `id` in `team` of `accountId`. */
export async function addWorker(r: TestResources, accountId: string, team: string, id: string): Promise<WorkerIdentity> {
  await r.store.db
    .insertInto('workers')
    .values({
      id,
      account_id: accountId,
      email: `${id}@example.com`,
      display_name: null,
      password_hash: null,
      status: 'active',
      identity_provider: 'Tandem',
      oidc_issuer: null,
      oidc_subject: null,
      invite_token_hash: null,
      invite_expires_at: null,
      created_at: r.clock.now(),
    })
    .execute();
  await r.store.db.insertInto('workteam_members').values({ account_id: accountId, workteam_name: team, worker_id: id }).execute();
  return { id, accountId, identityProvider: 'Tandem' };
}

export async function startLoop(r: TestResources, caller: Caller, flowArn: string, name: string, input: object): Promise<void> {
  await startHumanLoop(
    r,
    caller,
    { HumanLoopName: name, FlowDefinitionArn: flowArn, HumanLoopInput: { InputContent: JSON.stringify(input) } },
    REVIEW_HOOKS.onStarted,
  );
}
