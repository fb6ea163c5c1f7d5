/**
 * Sends an answer until the server has it (issue 14): a submit that fails on the network (or on
 * a server error) is kept in the browser (saved-work.ts) and sent again, after a growing pause
 * or as soon as the browser is back online, telling the reviewer each time. Every attempt
 * carries the same submission id, so a retry whose first attempt did arrive stores nothing twice.
 */
import { ApiError, type PortalApi } from './portal-api.js';

const FIRST_PAUSE_MS = 1_000;
const LONGEST_PAUSE_MS = 15_000;

export type SendOutcome = { ok: true } | { ok: false; error: unknown };

/** `onRetry(attempt, offline)` is called before each pause; `cancelled()` stops the loop (the page moved on). */
export async function sendAnswerUntilStored(
  api: PortalApi,
  taskId: string,
  answer: unknown,
  submissionId: string,
  onRetry: (attempt: number, offline: boolean) => void,
  cancelled: () => boolean = () => false,
): Promise<SendOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await api.submitAnswer(taskId, answer, submissionId);
      return { ok: true };
    } catch (error) {
      if (!isWorthRetrying(error) || cancelled()) return { ok: false, error };
      onRetry(attempt, !navigator.onLine);
      await pause(Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (attempt - 1)));
      if (cancelled()) return { ok: false, error };
    }
  }
}

/** Network failures and server errors may pass; a refusal (4xx) will not change by asking again. */
function isWorthRetrying(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 500 || error.status === 429);
}

/** Waits `ms`, or less when the browser comes back online. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    window.addEventListener('online', done);
  });
}

/** 32 hex digits from the browser's CSPRNG (`crypto.randomUUID` needs a secure context; a plain-http portal is not one). */
export function newSubmissionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
