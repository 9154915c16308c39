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
    | { ok: false; reason: string };

export interface CheckRunInput extends StepInput {
    runId: string;
    previous?: RunState['state'];
}

export interface CloseInput extends StepInput {
    status: Extract<TicketStatus, 'auto_healed' | 'escalated'>;
    reason: string;
}
