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
}

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

export interface RcaModel {
    /** Analysis of the failure; never throws for model problems (returns the rules' analysis with a note). */
    analyse(signal: FailureSignal, details: FailureDetails, classification: Classification): Promise<AnalysisResult>;
}

export interface Broadcaster {
    /** Pushes a ticket update to every connected dashboard; failures are swallowed and logged by the caller. */
    ticketUpdated(ticket: Ticket, event?: AuditEvent): Promise<void>;
    /** A client URL (with token) for a dashboard to connect with. */
    clientUrl(userId: string): Promise<{ url: string; expiresAt: string }>;
}

export class NotFoundError extends Error {}
/** An answer that a retry may fix (timeouts, 429, 5xx): activities let it propagate so durable retries apply. */
export class TransientError extends Error {
    constructor(
        message: string,
        readonly retryAfterMs?: number,
    ) {
        super(message);
    }
}
