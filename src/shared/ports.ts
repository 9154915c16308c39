import type {
    AdfRunRef,
    AnalysisResult,
    AuditEvent,
    Classification,
    DatabricksRunRef,
    FailureDetails,
    FailureSignal,
    RunState,
    Ticket,
} from './domain';

/** The narrow interfaces the activities and HTTP handlers depend on; built once in deps.ts. */

export interface AdfConnector {
    /** Run status and activity errors of a failed run; `found: false` when the run does not exist. */
    fetchFailure(ref: AdfRunRef): Promise<FailureDetails>;
    /**
     * Starts a recovery rerun (same run group, from the failed activity). With `checkFirst` (a retry of a
     * request whose answer may have been lost) it first looks for a recovery run of this run group started
     * after `notBefore`, and returns that one instead of starting another.
     */
    startRecovery(ref: AdfRunRef, notBefore: string, opts: { checkFirst: boolean }): Promise<{ runId: string; reused: boolean }>;
    getRun(ref: AdfRunRef, runId: string): Promise<RunState>;
    /** State of an integration runtime of the run's factory (`Online`, `Offline`, `Limited`, ...). */
    getIntegrationRuntimeState(ref: AdfRunRef, name: string): Promise<string>;
    /** Failed runs last updated in the window (queryPipelineRuns, every page), of one pipeline when named. */
    findFailedRuns(factory: AdfFactoryRef, window: { after: string; before: string }, pipelineName?: string): Promise<AdfRunSummary[]>;
}

export type AdfFactoryRef = Pick<AdfRunRef, 'factoryResourceId' | 'subscriptionId' | 'resourceGroup' | 'factoryName'>;
export type AdfRunSummary = { runId: string; pipelineName: string } & NonNullable<AdfRunRef['knownRun']>;

export interface DatabricksConnector {
    fetchFailure(ref: DatabricksRunRef): Promise<FailureDetails>;
    /**
     * Repairs the failed tasks of the run (`latest_repair_id` = `latestRepairId`, the last repair we made).
     * With `checkFirst` (a retry whose answer may have been lost) it first reads the repair history and,
     * when the run has more than `knownRepairs` repairs, returns the newest instead of repairing again.
     * Without it, no read precedes the repair (a 400 asking for latest_repair_id triggers one read and retry).
     */
    repair(
        ref: DatabricksRunRef,
        opts: { knownRepairs: number; latestRepairId?: string; checkFirst: boolean },
    ): Promise<{ repairId: string; reused: boolean }>;
    getRun(ref: DatabricksRunRef): Promise<RunState>;
}

/** One model request and its raw answer (both redacted), kept in the ticket's audit archive. */
export interface LlmExchange {
    provider: 'gemini' | 'ollama';
    model: string;
    at: string;
    prompt: string;
    reply: string;
    outcome: string;
    tokens?: { prompt: number; output: number; total: number };
}

export interface ModelAnswer {
    result: AnalysisResult;
    exchanges: LlmExchange[];
    /** A configuration problem of a model provider (bad request, key, model name): operators must see it. */
    configError?: string;
}

export interface RcaModel {
    /** Analysis of the failure; never throws for model problems (returns the rules' analysis with a note). */
    analyse(signal: FailureSignal, details: FailureDetails, classification: Classification): Promise<ModelAnswer>;
}

export interface Broadcaster {
    /**
     * Pushes a ticket update to the dashboards, to one group per role with what that role may see; failures
     * are swallowed and logged by the caller.
     */
    ticketUpdated(ticket: Ticket, event?: AuditEvent): Promise<void>;
    /** A client URL (with token) for one user's dashboard: joined to `groups`, no send rights. */
    clientUrl(userId: string, opts?: { groups?: string[]; minutes?: number }): Promise<{ url: string; expiresAt: string }>;
}

export class NotFoundError extends Error {}
/** An answer that a retry may fix (timeouts, 429, 5xx): activities let it propagate so durable retries apply. */
export class TransientError extends Error {
    constructor(
        message: string,
        readonly retryAfterMs?: number,
        /** The HTTP status, when there was an answer (408, 429, 5xx); absent for timeouts and network errors. */
        readonly status?: number,
    ) {
        super(message);
    }
}
