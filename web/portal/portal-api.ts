/** The task page's calls to `/portal/api` (see src/api/portal/task-api.ts), with the session's CSRF token. */

// One definition for the server and the page; a type-only import, so nothing of the server is bundled.
import type { PortalTask } from '../../src/api/portal/task-api.js';
import type { Translate } from '../../src/i18n/portal-messages.js';
export type { PortalTask };

export interface TaskResponse {
  task: PortalTask | null;
  serverNow: number;
}

/** A refusal from the API: its status and the sentence to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The refusal's `code`, when the server gives one (`TaskAnswered`). */
    readonly code?: string,
  ) {
    super(message);
  }
}

export class PortalApi {
  constructor(
    private readonly csrfToken: string,
    private readonly t: Translate,
  ) {}

  nextTask(): Promise<TaskResponse> {
    return this.post('/portal/api/tasks/next');
  }

  resumeTask(taskId: string): Promise<TaskResponse> {
    return this.post(`/portal/api/tasks/${encodeURIComponent(taskId)}/resume`);
  }

  /** `submissionId` makes a retry of a stored answer succeed again (`alreadySaved`) instead of failing. */
  submitAnswer(taskId: string, answer: unknown, submissionId?: string): Promise<{ loopCompleted: boolean; alreadySaved?: boolean }> {
    return this.post(`/portal/api/tasks/${encodeURIComponent(taskId)}/answer`, { answer, submissionId });
  }

  heartbeat(taskId: string): Promise<{ leaseExpiresAt: number; serverNow: number }> {
    return this.post(`/portal/api/tasks/${encodeURIComponent(taskId)}/heartbeat`);
  }

  /**
   * The page is going away: a beacon (it outlives the page) asks the server to release the lease
   * after a short grace. Beacons cannot carry headers, so the CSRF token goes in the form body.
   */
  leaveBeacon(taskId: string): void {
    const body = new URLSearchParams({ _csrf: this.csrfToken });
    navigator.sendBeacon(`/portal/api/tasks/${encodeURIComponent(taskId)}/leave`, body);
  }

  releaseTask(taskId: string): Promise<{ released: boolean }> {
    return this.post(`/portal/api/tasks/${encodeURIComponent(taskId)}/release`);
  }

  private async post<T>(path: string, body: unknown = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrfToken },
        body: JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, this.t('live.unreachable'));
    }
    const payload = (await response.json().catch(() => ({}))) as { message?: unknown; code?: unknown };
    if (!response.ok) {
      const message = typeof payload.message === 'string' ? payload.message : this.t('live.refused', { status: response.status });
      throw new ApiError(response.status, message, typeof payload.code === 'string' ? payload.code : undefined);
    }
    return payload as T;
  }
}
