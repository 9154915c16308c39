import type { OrchestrationContext, Task } from 'durable-functions';

import type { Decision } from '../shared/domain';
import type { ApprovalAnswer } from '../shared/remediation';
import { ActivityName } from './names';

type Step = (name: string, extra?: object) => Task;

export type ApprovalGate =
    | { outcome: 'approved' | 'rejected'; answer: ApprovalAnswer; timedOut: boolean }
    | { outcome: 'closed'; by: string; reason: string };

/** Event payloads come from people through the API: only well-formed fields are taken. */
function answerOf(raw: unknown, at: string): ApprovalAnswer {
    const value = (raw ?? {}) as Record<string, unknown>;
    return {
        approved: value['approved'] === true,
        by: typeof value['by'] === 'string' && value['by'] ? value['by'] : 'unknown',
        at: typeof value['at'] === 'string' ? value['at'] : at,
        ...(typeof value['comment'] === 'string' ? { comment: value['comment'].slice(0, 500) } : {}),
    };
}

/**
 * Waits for a person's approve/reject (event `approval`) or a close (event `close`), or the deadline, whichever
 * comes first; without an answer the configured default applies. The unused timer is cancelled.
 */
export function* awaitApproval(
    context: OrchestrationContext,
    approval: NonNullable<Decision['approval']>,
    step: Step,
): Generator<Task, ApprovalGate, unknown> {
    const now = context.df.currentUtcDateTime.getTime();
    const deadline = new Date(now + approval.timeoutMinutes * 60_000);
    yield step(ActivityName.requestApproval, { approval, deadline: deadline.toISOString() });
    const answered = context.df.waitForExternalEvent('approval');
    const closed = context.df.waitForExternalEvent('close');
    const timeout = context.df.createTimer(deadline);
    const winner = yield context.df.Task.any([answered, closed, timeout]);
    if (winner !== timeout) timeout.cancel();
    const at = context.df.currentUtcDateTime.toISOString();
    if (winner === closed) {
        const value = (closed.result ?? {}) as Record<string, unknown>;
        const by = typeof value['by'] === 'string' ? value['by'] : 'unknown';
        const reason = typeof value['reason'] === 'string' ? value['reason'].slice(0, 500) : 'closed';
        return { outcome: 'closed', by, reason };
    }
    const timedOut = winner === timeout;
    const answer = timedOut ? { approved: approval.defaultOutcome === 'approve', by: 'policy', at } : answerOf(answered.result, at);
    yield step(ActivityName.recordApproval, { answer, timedOut });
    return { outcome: answer.approved ? 'approved' : 'rejected', answer, timedOut };
}

/** Takes a slot of the global rerun budget, waiting a minute at a time while it is full, until `waitMinutes`. */
export function* acquireRerunSlot(context: OrchestrationContext, step: Step, waitMinutes: number): Generator<Task, boolean, unknown> {
    const deadline = context.df.currentUtcDateTime.getTime() + waitMinutes * 60_000;
    for (;;) {
        const slot = (yield step(ActivityName.acquireRerunSlot)) as { granted: boolean };
        if (slot.granted) return true;
        const now = context.df.currentUtcDateTime.getTime();
        if (now >= deadline) return false;
        yield context.df.createTimer(new Date(Math.min(now + 60_000, deadline)));
    }
}
