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
     * Starts a recovery rerun (same run group, from the failed activity). Idempotent: when a recovery
     * run of this run group started after `notBefore` already exists, returns it instead of starting another.
     */
    startRecovery(ref: AdfRunRef, notBefore: string): Promise<{ runId: string; reused: boolean }>;
    getRun(ref: AdfRunRef, runId: string): Promise<RunState>;
}

export interface DatabricksConnector {
    fetchFailure(ref: DatabricksRunRef): Promise<FailureDetails>;
    /**
     * Repairs the failed tasks of the run. Idempotent: when the run already has more than
     * `knownRepairs` repairs, returns the newest instead of repairing again.
     */
    repair(ref: DatabricksRunRef, knownRepairs: number): Promise<{ repairId: string; reused: boolean }>;
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
