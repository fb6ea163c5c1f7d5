/**
 * What the page keeps in the browser so a reload, a crash or a lost connection costs no work
 * (issue 14): the draft of each task's answer, and an answer whose submit has not yet reached
 * the server. Keys name the reviewer and the task (`tandem:draft:{worker}:{task}`), so two
 * reviewers sharing a browser never see each other's drafts; sign-out deletes the reviewer's.
 * Entries carry the lease's end and are dropped once it has passed (the task is gone by then).
 */

export interface Draft {
  answer: unknown;
  leaseExpiresAt: number;
}

export interface PendingSubmit extends Draft {
  submissionId: string;
}

const PREFIXES = ['tandem:draft:', 'tandem:pending:'] as const;

export class SavedWork {
  constructor(
    private readonly workerId: string,
    private readonly storage: Storage | undefined = safeLocalStorage(),
  ) {}

  draft(taskId: string): Draft | undefined {
    return this.read<Draft>(`tandem:draft:${this.workerId}:${taskId}`);
  }

  saveDraft(taskId: string, draft: Draft): void {
    this.write(`tandem:draft:${this.workerId}:${taskId}`, draft);
  }

  pending(taskId: string): PendingSubmit | undefined {
    return this.read<PendingSubmit>(`tandem:pending:${this.workerId}:${taskId}`);
  }

  savePending(taskId: string, pending: PendingSubmit): void {
    this.write(`tandem:pending:${this.workerId}:${taskId}`, pending);
  }

  /** The task is answered or given up: its draft and pending submit go. */
  forget(taskId: string): void {
    for (const prefix of PREFIXES) this.storage?.removeItem(`${prefix}${this.workerId}:${taskId}`);
  }

  /** Drops this reviewer's entries whose lease has ended (`now` in server time), or all of them. */
  prune(now: number, everything = false): void {
    const storage = this.storage;
    if (!storage) return;
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key && PREFIXES.some((p) => key.startsWith(`${p}${this.workerId}:`))) keys.push(key);
    }
    for (const key of keys) {
      const entry = this.read<Draft>(key);
      if (everything || !entry || entry.leaseExpiresAt <= now) storage.removeItem(key);
    }
  }

  private read<T>(key: string): T | undefined {
    try {
      const text = this.storage?.getItem(key);
      return text ? (JSON.parse(text) as T) : undefined;
    } catch {
      return undefined;
    }
  }

  private write(key: string, value: unknown): void {
    try {
      this.storage?.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or disabled (private mode): the page still works, it just keeps no draft.
    }
  }
}

function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
