import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The database as Kysely sees it, on both dialects. Times are integer milliseconds since the
 * epoch (`bigint` on PostgreSQL, parsed back to numbers), JSON documents are text: both
 * dialects then store and compare them identically.
 */
export interface Database {
  settings: SettingsTable;
  accounts: AccountsTable;
  access_keys: AccessKeysTable;
  workteams: WorkteamsTable;
  human_task_uis: HumanTaskUisTable;
  flow_definitions: FlowDefinitionsTable;
  human_loops: HumanLoopsTable;
  outbox: OutboxTable;
  workers: WorkersTable;
  workteam_members: WorkteamMembersTable;
  sessions: SessionsTable;
  tasks: TasksTable;
  answers: AnswersTable;
  task_skips: TaskSkipsTable;
  admins: AdminsTable;
  admin_sessions: AdminSessionsTable;
  audit_log: AuditLogTable;
  buckets: BucketsTable;
  output_retries: OutputRetriesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  sign_in_throttle: SignInThrottleTable;
  multipart_uploads: MultipartUploadsTable;
}

/** Process-wide facts that must be the same for every process sharing the store. */
export interface SettingsTable {
  name: string;
  value: string;
}

export interface AccountsTable {
  id: string;
  created_at: number;
}

export interface AccessKeysTable {
  access_key_id: string;
  account_id: string;
  /** AES-256-GCM ciphertext of the secret (SigV4 needs the secret itself, so it cannot be hashed). */
  secret_encrypted: string;
  description: string | null;
  created_at: number;
  revoked_at: number | null;
}

export interface WorkteamsTable {
  account_id: string;
  name: string;
  arn: string;
  description: string;
  workforce_name: string | null;
  member_definitions: string;
  notification_configuration: string | null;
  worker_access_configuration: string | null;
  tags: string;
  created_at: number;
  updated_at: number;
}

export interface HumanTaskUisTable {
  account_id: string;
  name: string;
  arn: string;
  template: string;
  template_sha256: string;
  tags: string;
  created_at: number;
}

export interface FlowDefinitionsTable {
  account_id: string;
  name: string;
  arn: string;
  status: 'Initializing' | 'Active' | 'Failed' | 'Deleting';
  role_arn: string;
  /** AwsManagedHumanLoopRequestSource, null for custom task types. */
  request_source: string | null;
  /** The HumanLoopActivationConditions JSON string as given, null when absent. */
  activation_conditions: string | null;
  /** The whole HumanLoopConfig as given (JSON). */
  human_loop_config: string;
  /** The whole OutputConfig as given (JSON). */
  output_config: string;
  workteam_name: string;
  human_task_ui_name: string;
  task_count: number;
  task_availability_lifetime_seconds: number;
  task_time_limit_seconds: number;
  tags: string;
  failure_reason: string | null;
  created_at: number;
}

export type HumanLoopStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

export interface HumanLoopsTable {
  id: string;
  account_id: string;
  name: string;
  arn: string;
  flow_definition_name: string;
  flow_definition_arn: string;
  status: HumanLoopStatus;
  input_content: string;
  input_sha256: string;
  content_classifiers: string;
  failure_reason: string | null;
  failure_code: string | null;
  output_s3_uri: string | null;
  created_at: number;
  stop_requested_at: number | null;
  stopped_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  /** Set when the last answer arrived; Completed follows once output.json is durable. */
  answers_complete_at: number | null;
  /**
   * Built-in loops: JSON of the template's `task.input.humanLoopContext` (domain/built-in-input.ts
   * `humanLoopContextFor`), written with the loop; null for custom loops.
   */
  human_loop_context?: string | null;
}

/**
 * Every state change writes its event here in the same transaction; dispatchers deliver after
 * commit, so nothing is announced that did not commit and nothing committed is lost.
 */
export interface OutboxTable {
  id: Generated<number>;
  account_id: string;
  /** What happened, e.g. `human-loop.created`, `human-loop.stopped`. */
  topic: string;
  subject_arn: string;
  payload: string;
  created_at: number;
  dispatched_at: number | null;
  attempts: Generated<number>;
  /** Publication order, given when the row is fanned out to webhooks (migration 0009). */
  sequence: number | null;
}

export type WorkteamRow = Selectable<WorkteamsTable>;
export type HumanTaskUiRow = Selectable<HumanTaskUisTable>;
export type FlowDefinitionRow = Selectable<FlowDefinitionsTable>;
export type HumanLoopRow = Omit<Selectable<HumanLoopsTable>, 'human_loop_context'> & { human_loop_context?: string | null };
export type NewHumanLoop = Insertable<HumanLoopsTable>;
export type HumanLoopUpdate = Updateable<HumanLoopsTable>;
export type OutboxRow = Selectable<OutboxTable>;

export interface WebhooksTable {
  id: string;
  url: string;
  /** Filters; null matches every value. */
  account_id: string | null;
  flow_definition_name: string | null;
  detail_type: string | null;
  /** The HMAC secret, sealed with the master key (it must be readable to sign). */
  secret_encrypted: string;
  description: string | null;
  created_at: number;
}

export type WebhookRow = Selectable<WebhooksTable>;

export type DeliveryState = 'pending' | 'delivered' | 'dead';

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: string;
  outbox_id: number;
  subject_arn: string;
  state: DeliveryState;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

export type WorkerStatus = 'active' | 'inactive';

export interface WorkersTable {
  /** 16 hex characters, the form of A2I's workerId. */
  id: string;
  account_id: string;
  /** Lower-cased. */
  email: string;
  display_name: string | null;
  /** scrypt hash; null until the invite is accepted, and for single-sign-on workers. */
  password_hash: string | null;
  status: WorkerStatus;
  /** `Tandem` (email + password) or `Oidc`. */
  identity_provider: 'Tandem' | 'Oidc';
  oidc_issuer: string | null;
  oidc_subject: string | null;
  invite_token_hash: string | null;
  invite_expires_at: number | null;
  created_at: number;
}

export interface WorkteamMembersTable {
  account_id: string;
  workteam_name: string;
  worker_id: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a stolen database holds no usable session. */
  id_hash: string;
  worker_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

/** `held`: the loop's template cannot be shown without losing answers; see store/held-tasks.ts. */
export type TaskStatus = 'open' | 'leased' | 'done' | 'cancelled' | 'held';

export interface TasksTable {
  id: string;
  account_id: string;
  human_loop_id: string;
  workteam_name: string;
  slot: number;
  status: TaskStatus;
  worker_id: string | null;
  leased_at: number | null;
  lease_expires_at: number | null;
  /** The flow definition's TaskTimeLimitInSeconds: the length of a lease. */
  time_limit_seconds: number;
  available_until: number;
  created_at: number;
  done_at: number | null;
  /** When the lease is released for idleness (no heartbeat from the task page); null: only at its time limit. */
  idle_release_at?: number | null;
}

export interface AnswersTable {
  id: string;
  account_id: string;
  human_loop_id: string;
  task_id: string;
  worker_id: string;
  answer_content: string;
  worker_metadata: string;
  accepted_at: number;
  submitted_at: number;
  time_spent_seconds: number;
  /** The portal page's id for this submit: a retry carrying it is recognised as already stored. */
  submission_id?: string | null;
}

export interface TaskSkipsTable {
  human_loop_id: string;
  worker_id: string;
  skipped_at: number;
}

export type WorkerRow = Selectable<WorkersTable>;

export type AdminRole = 'admin' | 'viewer';

/** Console users: separate from workers and from access keys. */
export interface AdminsTable {
  id: string;
  /** Lower-cased; unique across Tandem. */
  email: string;
  role: AdminRole;
  /** Null for a Tandem-wide operator, who may switch between accounts. */
  account_id: string | null;
  password_hash: string | null;
  status: WorkerStatus;
  invite_token_hash: string | null;
  invite_expires_at: number | null;
  created_at: number;
}

export interface AdminSessionsTable {
  /** SHA-256 of the cookie value. */
  id_hash: string;
  admin_id: string;
  csrf_token: string;
  /** The account the console shows. */
  account_id: string;
  created_at: number;
  expires_at: number;
}

/** Who did what, when, from where, in the console. */
export interface AuditLogTable {
  id: Generated<number>;
  account_id: string | null;
  admin_id: string;
  admin_email: string;
  /** e.g. `human-loop.stop`, `flow-definition.create`. */
  action: string;
  target: string;
  detail: string | null;
  source_address: string;
  created_at: number;
}

export type AdminRow = Selectable<AdminsTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
// The columns added by migration 0007 stay optional in rows, so code that builds whole rows
// (loop start, benchmarks) need not name them.
export type TaskRow = Omit<Selectable<TasksTable>, 'idle_release_at'> & { idle_release_at?: number | null };
export type AnswerRow = Omit<Selectable<AnswersTable>, 'submission_id'> & { submission_id?: string | null };

/** Who owns each bucket of the object store (migration 0005): one account per bucket. */
export interface BucketsTable {
  name: string;
  account_id: string;
  created_at: number;
}

/**
 * Loops whose answers are in but whose output.json could not be written yet (migration 0005):
 * the last failure, when it began, and when the engine tries again. Deleted once written.
 */
export interface OutputRetriesTable {
  human_loop_id: string;
  account_id: string;
  error: string;
  first_failed_at: number;
  attempts: number;
  retry_at: number;
}

/** Failed sign-ins counted per key in a fixed window (migration 0010, security/sign-in-throttle.ts). */
export interface SignInThrottleTable {
  key: string;
  window_start: number;
  failures: number;
  last_failure_at: number;
}

/** Multipart uploads in progress through Tandem's S3 API (migration 0011, store/multipart-uploads.ts). */
export interface MultipartUploadsTable {
  id: string;
  account_id: string;
  bucket: string;
  object_key: string;
  store_upload_id: string;
  content_type: string | null;
  created_at: number;
}
