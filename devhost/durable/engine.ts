import type { TransactionAction } from '@azure/data-tables';
import { randomUUID } from 'node:crypto';

import type { CapturedFunction } from '../functions/capture';
import { invocationContext } from '../functions/invoke';
import { dispatchOpenTasks, EventType, isContinueAsNew } from './dispatch';
import {
    DurableStore,
    historyEntity,
    type HistoryEvent,
    INSTANCE_RK,
    instanceEntity,
    type InstanceRow,
    type RuntimeStatus,
    workEntity,
    type WorkItem,
} from './store';

export interface EngineOptions {
    store: DurableStore;
    functions: Map<string, CapturedFunction>;
    clock?: () => number;
    log?: (line: string) => void;
    maxConcurrentActivities?: number;
    maxConcurrentOrchestrations?: number;
    /** Real mode re-checks timers on its own; virtual mode waits for `pump()` after the clock moves. */
    autoTimers?: boolean;
    /** Binding data for activities that take a durable client input (as the Functions host supplies it). */
    durableClientData?: () => Record<string, unknown>;
}

export class InstanceExistsError extends Error {}
export class InstanceNotFoundError extends Error {}

const FINAL: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated']);

/** Runs orchestrations through the real durable-functions replay, with all state in Table storage. */
export class DurableEngine {
    private readonly clock: () => number;
    private readonly log: (line: string) => void;
    private readonly due = new Map<string, number>();
    private readonly activities: { id: string; item: Extract<WorkItem, { kind: 'activity' }> }[] = [];
    private readonly queuedActivityKeys = new Set<string>();
    private readonly episodes = new Set<string>();
    private runningActivities = 0;
    private seq = 0;
    private timer: NodeJS.Timeout | undefined;
    private stopped = false;
    private readonly idleWaiters: (() => void)[] = [];
    /** Errors that escaped an episode or activity wrapper (storage down...): retried on the next pump. */
    readonly faults: string[] = [];

    constructor(private readonly opts: EngineOptions) {
        this.clock = opts.clock ?? Date.now;
        this.log = opts.log ?? (() => undefined);
    }

    get store(): DurableStore {
        return this.opts.store;
    }

    /** Loads every pending message and activity: a restarted host resumes where the last one stopped. */
    async start(): Promise<void> {
        await this.store.init();
        for await (const { id, item } of this.store.pendingWork()) this.track(id, item);
        this.pump();
    }

    stop(): void {
        this.stopped = true;
        if (this.timer) clearTimeout(this.timer);
    }

    async startNew(name: string, instanceId: string | undefined, input: unknown): Promise<string> {
        const fn = this.opts.functions.get(name);
        if (!fn || !Object.values(fn.bindings).some((b) => b.type === 'orchestrationTrigger')) {
            throw new InstanceNotFoundError(`No orchestrator function named "${name}"`);
        }
        const id = instanceId ?? randomUUID().replace(/-/g, '');
        const existing = await this.store.getInstance(id);
        // overridableExistingInstanceStates = NonRunningStates: only a finished instance may be replaced.
        if (existing && !FINAL.has(existing.runtimeStatus)) {
            throw new InstanceExistsError(`An instance with ID '${id}' already exists and is ${existing.runtimeStatus}`);
        }
        if (existing) await this.store.deletePartition(id);
        const now = this.clock();
        const nowIso = new Date(now).toISOString();
        const row: InstanceRow = {
            name, runtimeStatus: 'Pending', input: input ?? null, output: null, customStatus: null,
            createdTime: nowIso, lastUpdatedTime: nowIso, historyCount: 0, generation: 0,
        };
        const started = this.message(now, {
            EventType: EventType.ExecutionStarted, EventId: -1, Timestamp: nowIso, Name: name, Input: JSON.stringify(input ?? null),
        }, 'start');
        try {
            // Both rows in one transaction: the create fails whole if a concurrent start won the race.
            await this.store.commit([['create', workEntity(id, started)], ['create', instanceEntity(id, row)]]);
        } catch (e) {
            if ((e as { statusCode?: number }).statusCode === 409) {
                throw new InstanceExistsError(`An instance with ID '${id}' already exists`);
            }
            throw e;
        }
        this.track(id, started);
        this.pump();
        return id;
    }

    async raiseEvent(instanceId: string, name: string, data: unknown): Promise<void> {
        const instance = await this.store.getInstance(instanceId);
        if (!instance) throw new InstanceNotFoundError(`No instance '${instanceId}'`);
        if (FINAL.has(instance.runtimeStatus)) return;
        const now = this.clock();
        const item = this.message(now, {
            EventType: EventType.EventRaised, EventId: -1, Timestamp: new Date(now).toISOString(), Name: name,
            Input: JSON.stringify(data ?? null),
        }, `event-${randomUUID()}`);
        await this.store.commit([['create', workEntity(instanceId, item)]]);
        this.track(instanceId, item);
        this.pump();
    }

    async terminate(instanceId: string, reason: string): Promise<boolean> {
        const part = await this.store.load(instanceId);
        if (!part.instance) throw new InstanceNotFoundError(`No instance '${instanceId}'`);
        if (FINAL.has(part.instance.runtimeStatus)) return false;
        const { etag, ...row } = part.instance;
        const updated: InstanceRow = {
            ...row, runtimeStatus: 'Terminated', output: reason, lastUpdatedTime: new Date(this.clock()).toISOString(),
        };
        const actions: TransactionAction[] = part.work.map((w) => ['delete', { partitionKey: instanceId, rowKey: `w-${w.key}` }]);
        actions.push(['update', instanceEntity(instanceId, updated), 'Replace', { etag }]);
        await this.store.commit(actions);
        this.due.delete(instanceId);
        return true;
    }

    /** Resolves when nothing is running and nothing is due at the current clock time. */
    whenIdle(): Promise<void> {
        if (this.isIdle()) return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }

    isIdle(): boolean {
        const now = this.clock();
        const dueNow = [...this.due.values()].some((at) => at <= now);
        return this.episodes.size === 0 && this.runningActivities === 0 && this.activities.length === 0 && !dueNow;
    }

    /** The earliest time at which a message (a timer) becomes visible, if any. */
    nextDueAt(): number | undefined {
        let min: number | undefined;
        for (const at of this.due.values()) if (min === undefined || at < min) min = at;
        return min;
    }

    pump(): void {
        if (this.stopped) return;
        const now = this.clock();
        const maxOrch = this.opts.maxConcurrentOrchestrations ?? 10;
        for (const [id, at] of this.due) {
            if (at > now || this.episodes.has(id) || this.episodes.size >= maxOrch) continue;
            this.due.delete(id);
            this.episodes.add(id);
            void this.runEpisode(id).finally(() => {
                this.episodes.delete(id);
                this.pump();
            });
        }
        const maxAct = this.opts.maxConcurrentActivities ?? 10;
        while (this.activities.length > 0 && this.runningActivities < maxAct) {
            const next = this.activities.shift()!;
            this.runningActivities++;
            void this.runActivity(next.id, next.item).finally(() => {
                this.runningActivities--;
                this.queuedActivityKeys.delete(`${next.id}/${next.item.key}`);
                this.pump();
            });
        }
        this.armTimer();
        if (this.isIdle()) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }

    private armTimer(): void {
        if (this.opts.autoTimers === false) return;
        if (this.timer) clearTimeout(this.timer);
        const next = this.nextDueAt();
        if (next === undefined) return;
        const wait = Math.min(Math.max(next - this.clock(), 10), 1000);
        this.timer = setTimeout(() => this.pump(), wait);
        this.timer.unref();
    }

    private message(now: number, event: HistoryEvent, key: string): WorkItem {
        return { key: `m-${key}`, kind: 'message', visibleAt: now, seq: now * 1000 + (this.seq++ % 1000), event };
    }

    private track(id: string, item: WorkItem): void {
        if (item.kind === 'message') {
            const current = this.due.get(id);
            if (current === undefined || item.visibleAt < current) this.due.set(id, item.visibleAt);
        } else if (!this.queuedActivityKeys.has(`${id}/${item.key}`)) {
            this.queuedActivityKeys.add(`${id}/${item.key}`);
            this.activities.push({ id, item });
        }
    }

    private async runEpisode(id: string): Promise<void> {
        try {
            await this.episode(id);
        } catch (e) {
            // Storage trouble or a lost race: keep the instance due so the next pump tries again.
            this.faults.push(`${id}: ${(e as Error).message}`);
            this.log(`[durable] episode of ${id} failed and will be retried: ${(e as Error).message}`);
            const retryAt = this.clock() + 1000;
            this.due.set(id, Math.min(this.due.get(id) ?? retryAt, retryAt));
        }
    }

    private async episode(id: string): Promise<void> {
        const part = await this.store.load(id);
        const now = this.clock();
        const nowIso = new Date(now).toISOString();
        const messages = part.work
            .filter((w): w is Extract<WorkItem, { kind: 'message' }> => w.kind === 'message')
            .sort((a, b) => a.visibleAt - b.visibleAt || a.seq - b.seq);
        const ready = messages.filter((m) => m.visibleAt <= now);
        const later = messages.filter((m) => m.visibleAt > now);
        if (later.length > 0) this.due.set(id, Math.min(...later.map((m) => m.visibleAt)));
        if (!part.instance || ready.length === 0) return;
        const { etag, ...row } = part.instance;
        const consume: TransactionAction[] = ready.map((m) => ['delete', { partitionKey: id, rowKey: `w-${m.key}` }]);
        if (FINAL.has(row.runtimeStatus)) {
            await this.store.commit(consume);
            return;
        }

        const fn = this.opts.functions.get(row.name);
        const newEvents: HistoryEvent[] = [
            { EventType: EventType.OrchestratorStarted, EventId: -1, Timestamp: nowIso },
            ...ready.map((m) => m.event),
        ];
        const history = [...part.history.map((e) => ({ ...e, IsPlayed: true })), ...newEvents.map((e) => ({ ...e, IsPlayed: false }))];
        const scheduled = new Set(
            part.history
                .filter((e) => e.EventType === EventType.TaskScheduled || e.EventType === EventType.TimerCreated)
                .map((e) => e.EventId),
        );
        const trigger = JSON.parse(JSON.stringify({
            history, input: row.input, instanceId: id, isReplaying: part.history.length > 0, parentInstanceId: null,
            upperSchemaVersion: 3, maximumShortTimerDuration: '6.00:00:00', longRunningTimerIntervalDuration: '3.00:00:00',
            defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
        }));

        const ctx = invocationContext(fn, randomUUID(), this.log);
        let state: { isDone?: boolean; output?: unknown; error?: string; customStatus?: unknown; actions?: unknown } = {};
        let failure: string | undefined;
        if (!fn) failure = `Orchestrator function '${row.name}' is not registered`;
        else {
            try {
                state = (await fn.handler(trigger, ctx)) as typeof state;
            } catch (e) {
                failure = orchestrationError(e);
            }
        }

        const openTasks = (ctx as unknown as { df?: { taskOrchestratorExecutor?: { openTasks?: object } } }).df
            ?.taskOrchestratorExecutor?.openTasks ?? {};
        const work = failure || state.isDone
            ? { items: [], bookkeeping: [] }
            : dispatchOpenTasks(openTasks as never, scheduled, now, nowIso, () => now * 1000 + (this.seq++ % 1000));
        if (work.unsupported) failure = work.unsupported;

        const continued = !failure && state.isDone ? isContinueAsNew(state.actions) : undefined;
        const appended = [...newEvents, ...work.bookkeeping];
        const actions: TransactionAction[] = [...consume];
        let updated: InstanceRow;
        if (continued) {
            // ContinueAsNew: history restarts with the new input.
            for (let n = 0; n < row.historyCount; n++) actions.push(['delete', { partitionKey: id, rowKey: `h-${String(n).padStart(8, '0')}` }]);
            for (const w of later) actions.push(['delete', { partitionKey: id, rowKey: `w-${w.key}` }]);
            const restart = this.message(now, {
                EventType: EventType.ExecutionStarted, EventId: -1, Timestamp: nowIso, Name: row.name,
                Input: JSON.stringify(parseMaybe(continued.input) ?? null),
            }, `start-${row.generation + 1}`);
            actions.push(['upsert', workEntity(id, restart)]);
            updated = { ...row, input: parseMaybe(continued.input), historyCount: 0, generation: row.generation + 1, runtimeStatus: 'Running' };
            this.track(id, restart);
        } else {
            appended.forEach((event, i) => actions.push(['create', historyEntity(id, row.historyCount + i, event)]));
            for (const item of work.items) actions.push(['upsert', workEntity(id, item)]);
            const status: RuntimeStatus = failure ? 'Failed' : state.isDone ? 'Completed' : 'Running';
            if (status !== 'Running') for (const w of later) actions.push(['delete', { partitionKey: id, rowKey: `w-${w.key}` }]);
            updated = {
                ...row, runtimeStatus: status, historyCount: row.historyCount + appended.length,
                output: failure ? failure : state.isDone ? (state.output ?? null) : null,
                customStatus: state.customStatus ?? row.customStatus ?? null,
            };
            if (status !== 'Running') {
                this.due.delete(id);
                this.log(`[durable] ${row.name} ${id} ${status}${failure ? `: ${failure}` : ''}`);
            }
        }
        updated.lastUpdatedTime = nowIso;
        actions.push(['update', { ...instanceEntity(id, updated), rowKey: INSTANCE_RK }, 'Replace', { etag }]);
        await this.store.commit(actions);
        if (updated.runtimeStatus === 'Running') for (const item of work.items) this.track(id, item);
    }

    private async runActivity(id: string, item: Extract<WorkItem, { kind: 'activity' }>): Promise<void> {
        const fn = this.opts.functions.get(item.name);
        const nowIso = () => new Date(this.clock()).toISOString();
        let event: HistoryEvent;
        try {
            if (!fn) throw new Error(`Activity function '${item.name}' is not registered`);
            const input = typeof item.input === 'string' ? JSON.parse(item.input) : item.input;
            const ctx = invocationContext(fn, randomUUID(), this.log, { attempt: item.attempt });
            const client = ctx.options.extraInputs.find((b) => b.type === 'durableClient' || b.type === 'orchestrationClient');
            if (client && this.opts.durableClientData) ctx.extraInputs.set(client, this.opts.durableClientData());
            const result = await fn.handler(input, ctx);
            event = { EventType: EventType.TaskCompleted, EventId: -1, TaskScheduledId: item.taskId, Timestamp: nowIso(), Result: JSON.stringify(result ?? null) };
        } catch (e) {
            const err = e instanceof Error ? e : new Error(String(e));
            event = {
                EventType: EventType.TaskFailed, EventId: -1, TaskScheduledId: item.taskId, Timestamp: nowIso(),
                Reason: err.message, Details: err.stack ?? '',
                FailureDetails: { ErrorType: err.name, ErrorMessage: err.message, StackTrace: err.stack ?? '' },
            };
        }
        const result = this.message(this.clock(), event, `result-${item.taskId}`);
        for (;;) {
            try {
                // The result and the removal of the activity commit together: a crash re-runs the activity
                // (at-least-once, as on Azure) but never records two results for it.
                await this.store.commit([
                    ['upsert', workEntity(id, result)],
                    ['delete', { partitionKey: id, rowKey: `w-${item.key}` }],
                ]);
                break;
            } catch (e) {
                const status = (e as { statusCode?: number }).statusCode;
                if (status === 404) break; // the instance was terminated or purged meanwhile
                this.faults.push(`${id}/${item.name}: ${(e as Error).message}`);
                if (this.stopped) return;
                await new Promise((r) => setTimeout(r, 1000));
            }
        }
        this.track(id, result);
    }

    async getStatus(id: string, showHistory = false): Promise<Record<string, unknown> | undefined> {
        const part = showHistory ? await this.store.load(id) : undefined;
        const row = part ? part.instance : await this.store.getInstance(id);
        if (!row) return undefined;
        return {
            name: row.name, instanceId: id, createdTime: row.createdTime, lastUpdatedTime: row.lastUpdatedTime,
            runtimeStatus: row.runtimeStatus, input: row.input ?? null, output: row.output ?? null,
            customStatus: row.customStatus ?? null, ...(part ? { historyEvents: part.history } : {}),
        };
    }

    async list(): Promise<Record<string, unknown>[]> {
        const out: Record<string, unknown>[] = [];
        for await (const { id, row } of this.store.instances()) {
            out.push({
                name: row.name, instanceId: id, createdTime: row.createdTime, lastUpdatedTime: row.lastUpdatedTime,
                runtimeStatus: row.runtimeStatus, input: row.input ?? null, output: row.output ?? null, customStatus: row.customStatus ?? null,
            });
        }
        return out;
    }

    async purge(id: string): Promise<number> {
        const row = await this.store.getInstance(id);
        if (!row) return 0;
        await this.store.deletePartition(id);
        this.due.delete(id);
        return 1;
    }
}

function parseMaybe(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** The replay throws OrchestrationFailureError("<bool>\n\n$OutOfProcData$:<state json>"): the real error is in state.error. */
function orchestrationError(e: unknown): string {
    const message = e instanceof Error ? e.message : String(e);
    const marker = '$OutOfProcData$:';
    const at = message.indexOf(marker);
    if (at >= 0) {
        try {
            const state = JSON.parse(message.slice(at + marker.length)) as { error?: string };
            if (state.error) return state.error;
        } catch {
            /* fall through to the raw message */
        }
    }
    return message;
}

