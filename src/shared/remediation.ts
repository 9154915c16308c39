import type { AnalysisResult, Classification, FailureDetails, FailureSignal, RunState, TicketStatus } from './domain';

/** Inputs and outputs of the remediation activities: JSON-serialisable, small (they live in the history). */

export interface StepInput {
    signal: FailureSignal;
    /** Position of this step in the ticket's audit trail; replays pass the same number, so writes are idempotent. */
    seq: number;
}

export interface RemediationSettings {
    pollIntervalSeconds: number;
    runDeadlineMinutes: number;
}

export interface ClassifyInput extends StepInput {
    details: FailureDetails;
}

export interface AnalyseInput extends ClassifyInput {
    classification: Classification;
}

export interface DecideInput extends StepInput {
    /** Whether the failed run was found: a run that no longer exists cannot be rerun. */
    runFound: boolean;
    /** Why the run could not be read, when it could not. */
    lookupError?: string;
    classification: Classification;
    analysis: AnalysisResult;
    attemptsMade: number;
    lastRun?: RunState;
}

export interface StartInput extends StepInput {
    attempt: number;
    /** When this attempt was decided: a rerun started after it is ours (see AdfConnector.startRecovery). */
    notBefore: string;
    /** The last Databricks repair this ticket made (its `latest_repair_id`). */
    lastRepairId?: string;
}

export type StartResult =
    | { ok: true; runId: string; reused: boolean; repairId?: string }
    /** `retryable`: a transient answer (429, 5xx, timeout); the orchestration waits and tries again. */
    | { ok: false; reason: string; retryable?: boolean; retryAfterSeconds?: number; status?: number };

export interface CheckRunInput extends StepInput {
    runId: string;
    previous?: RunState['state'];
}

export interface CheckRuntimeInput extends StepInput {
    name: string;
    previous?: string;
}

export interface ApprovalAnswer {
    approved: boolean;
    by: string;
    at: string;
    comment?: string;
}

export interface CloseInput extends StepInput {
    status: Extract<TicketStatus, 'auto_healed' | 'escalated' | 'rejected' | 'resolved'>;
    reason: string;
}
