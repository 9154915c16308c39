import type { OrchestrationContext } from 'durable-functions';

type Step =
    | { kind: 'activity'; name: string; input: Record<string, unknown> }
    | { kind: 'timer'; fireAt: Date; cancel: () => void; canceled?: boolean }
    | { kind: 'event'; name: string; result?: unknown }
    | { kind: 'any'; tasks: Step[] };

/** An activity's scripted answer: a value, or an Error to throw into the orchestrator (retries exhausted). */
export type ActivityScript = (name: string, input: Record<string, unknown>) => unknown;

/**
 * Steps an orchestrator generator without a runtime: activity calls are answered by `script`, timers move a
 * fake clock to their fire time. Returns what the orchestrator did, in order, and what it returned.
 */
export function runOrchestrator(
    orchestrator: (ctx: OrchestrationContext) => Generator<unknown, unknown, unknown>,
    input: unknown,
    script: ActivityScript,
    start = new Date('2025-03-14T02:00:00Z'),
    /** External events a person raises: delivered when the orchestrator waits for them. */
    events: Record<string, unknown> = {},
): { steps: Step[]; output: unknown; customStatus: unknown[] } {
    let now = start;
    const steps: Step[] = [];
    const customStatus: unknown[] = [];
    const activity = (name: string, input: unknown): Step => ({ kind: 'activity', name, input: input as Record<string, unknown> });
    const df = {
        getInput: () => input,
        get currentUtcDateTime() {
            return now;
        },
        isReplaying: false,
        callActivity: activity,
        callActivityWithRetry: (name: string, _retry: unknown, input: unknown) => activity(name, input),
        createTimer: (fireAt: Date): Step => {
            const timer: Step = { kind: 'timer', fireAt, cancel: () => ((timer as { canceled?: boolean }).canceled = true) };
            return timer;
        },
        waitForExternalEvent: (name: string): Step => ({ kind: 'event', name }),
        Task: { any: (tasks: Step[]): Step => ({ kind: 'any', tasks }) },
        setCustomStatus: (status: unknown) => customStatus.push(status),
    };
    const gen = orchestrator({ df } as unknown as OrchestrationContext);
    let next = gen.next();
    for (let guard = 0; !next.done; guard++) {
        if (guard > 10_000) throw new Error('orchestrator did not finish within 10000 steps');
        const step = next.value as Step;
        steps.push(step);
        if (step.kind === 'any') {
            const event = step.tasks.find((t) => t.kind === 'event' && t.name in events) as Extract<Step, { kind: 'event' }> | undefined;
            if (event) {
                event.result = events[event.name];
                next = gen.next(event);
                continue;
            }
            const timer = step.tasks.find((t) => t.kind === 'timer') as Extract<Step, { kind: 'timer' }>;
            if (timer.fireAt.getTime() > now.getTime()) now = timer.fireAt;
            next = gen.next(timer);
            continue;
        }
        if (step.kind === 'timer') {
            if (step.fireAt.getTime() > now.getTime()) now = step.fireAt;
            next = gen.next(undefined);
            continue;
        }
        if (step.kind === 'event') throw new Error(`the orchestrator waited for event ${step.name} alone; this fake only answers Task.any`);
        const result = script(step.name, step.input);
        next = result instanceof Error ? gen.throw(result) : gen.next(result);
    }
    return { steps, output: next.value, customStatus };
}
