import type { FailureSignal } from '../domain';

export interface IntakeIssue {
    path: string;
    message: string;
}

/** An ADF alert that names a factory (and maybe a pipeline) but no run: the runs are looked up over its window. */
export interface RunLookupRequest {
    kind: 'unresolved';
    source: 'adf';
    factoryResourceId: string;
    subscriptionId: string;
    resourceGroup: string;
    factoryName: string;
    pipelineName?: string;
    windowStart: string;
    windowEnd: string;
    alertId: string;
    severity: string;
    firedAt: string;
    alertRule?: string;
    description?: string;
    /** Activities a metric alert named as failed (ActivityFailedRuns `Name`); never pipeline names. */
    failedActivities?: string[];
}

/** What the receiver does with a webhook body. */
export type IntakeOutcome =
    | { kind: 'failures'; signals: FailureSignal[] }
    | RunLookupRequest
    | {
          kind: 'resolved';
          alertId: string;
          /** When Azure says the condition cleared (resolvedDateTime), else when the alert fired. */
          resolvedAt: string;
          alertRule?: string;
          /** The runs the notification names (log alerts with run dimensions); empty for metric alerts. */
          signals: FailureSignal[];
      }
    | { kind: 'ignored'; reason: string; test?: boolean }
    | { kind: 'invalid'; issues: IntakeIssue[] };

export type UnresolvedOutcome = RunLookupRequest;
export type ResolvedOutcome = Extract<IntakeOutcome, { kind: 'resolved' }>;

export interface IntakeOptions {
    /**
     * Factory to assume when a legacy log alert names runs but no `_ResourceId`/`ResourceId` column
     * (e.g. an `ADFActivityRun` query projecting only `PipelineRunId`).
     */
    defaultFactoryResourceId?: string;
}

export interface DatabricksIntakeOptions {
    /** ISO time used as `firedAt` (the payload carries none); defaults to the current time. */
    receivedAt?: string;
}

/** Longest values accepted, each above what Azure and ADF allow (ADF: pipeline names up to 140 characters). */
export const LIMITS = {
    id: 1024,
    name: 512,
    pipelineName: 260,
    runId: 128,
    dimensionValue: 4096,
    text: 16_384,
} as const;
