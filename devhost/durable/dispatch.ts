import type { HistoryEvent, WorkItem } from './store';

/**
 * Turns the replay engine's open tasks into work for the backend. The JS replay numbers tasks in the order
 * they are first yielded; retries and long timers add hidden tasks (NoOpTask children of a RetryableTask,
 * DFTimerTask children of a LongTimerTask). Reading `openTasks` gives the exact id of each.
 */

export const EventType = {
    ExecutionStarted: 0,
    ExecutionCompleted: 1,
    ExecutionFailed: 2,
    ExecutionTerminated: 3,
    TaskScheduled: 4,
    TaskCompleted: 5,
    TaskFailed: 6,
    TimerCreated: 10,
    TimerFired: 11,
    OrchestratorStarted: 12,
    EventRaised: 15,
} as const;

const ActionType = { CallActivity: 0, CallActivityWithRetry: 1, ContinueAsNew: 4, CreateTimer: 5 } as const;

interface RetryOptionsLike {
    firstRetryIntervalInMilliseconds: number;
    backoffCoefficient?: number;
    maxRetryIntervalInMilliseconds?: number;
}

interface ActionLike {
    actionType: number;
    functionName?: string;
    input?: unknown;
    fireAt?: Date | string;
    isCanceled?: boolean;
    retryOptions?: RetryOptionsLike;
}

interface TaskLike {
    id: number | string | false;
    actionObj?: ActionLike;
    parent?: TaskLike & { isWaitingOnTimer?: boolean; attemptNumber?: number; retryOptions?: RetryOptionsLike };
}

export interface NewWork {
    items: WorkItem[];
    bookkeeping: Omit<HistoryEvent, 'EventId'>[] & HistoryEvent[];
    unsupported?: string;
}

/** Delay before retry attempt `attempt` (2 = first retry), as the Durable extension computes it. */
export function retryDelayMs(options: RetryOptionsLike, attempt: number): number {
    const coefficient = options.backoffCoefficient ?? 1;
    const delay = options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, Math.max(0, attempt - 2));
    return options.maxRetryIntervalInMilliseconds ? Math.min(delay, options.maxRetryIntervalInMilliseconds) : delay;
}

export function dispatchOpenTasks(
    openTasks: Record<string, TaskLike>,
    scheduled: ReadonlySet<number>,
    now: number,
    nowIso: string,
    nextSeq: () => number,
): NewWork {
    const work: NewWork = { items: [], bookkeeping: [] };
    const activity = (id: number, name: string, input: unknown, attempt: number) => {
        work.items.push({ key: `a-${id}`, kind: 'activity', taskId: id, name, input, attempt });
        work.bookkeeping.push({ EventType: EventType.TaskScheduled, EventId: id, Name: name, Timestamp: nowIso });
    };
    const timer = (id: number, fireAt: number) => {
        const fireIso = new Date(fireAt).toISOString();
        const event = { EventType: EventType.TimerFired, EventId: -1, TimerId: id, FireAt: fireIso, Timestamp: fireIso };
        work.items.push({ key: `m-timer-${id}`, kind: 'message', visibleAt: fireAt, seq: nextSeq(), event });
        work.bookkeeping.push({ EventType: EventType.TimerCreated, EventId: id, FireAt: fireIso, Timestamp: nowIso });
    };
    for (const task of Object.values(openTasks)) {
        if (typeof task.id !== 'number' || scheduled.has(task.id)) continue;
        const action = typeof task.actionObj === 'object' ? task.actionObj : undefined; // NoOpTask: 'noOp'
        const parent = task.parent;
        if (action?.actionType === ActionType.CallActivity || action?.actionType === ActionType.CallActivityWithRetry) {
            activity(task.id, action.functionName ?? '', action.input, 1);
        } else if (action?.actionType === ActionType.CreateTimer) {
            if (!action.isCanceled) timer(task.id, new Date(action.fireAt ?? now).getTime());
        } else if (!action && parent?.retryOptions && parent.actionObj) {
            // A retry: first a timer (the parent waits on it), then the next attempt of the same activity.
            const attempt = parent.attemptNumber ?? 2;
            if (parent.isWaitingOnTimer) timer(task.id, now + retryDelayMs(parent.retryOptions, attempt));
            else activity(task.id, parent.actionObj.functionName ?? '', parent.actionObj.input, attempt);
        } else {
            work.unsupported = `unsupported durable task (action type ${action?.actionType ?? 'none'}); this host runs activities, timers, retries and external events`;
        }
    }
    return work;
}

export function isContinueAsNew(actions: unknown): { input: unknown } | undefined {
    const flat = (Array.isArray(actions) ? actions : []).flat(3) as ActionLike[];
    const last = flat.find((a) => a && a.actionType === ActionType.ContinueAsNew);
    return last ? { input: last.input } : undefined;
}
