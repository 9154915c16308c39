import type { FailureSignal } from '../domain';

export interface IntakeIssue {
    path: string;
    message: string;
}

/** What the receiver does with a webhook body. */
export type IntakeOutcome =
    | { kind: 'failures'; signals: FailureSignal[] }
    | {
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
          /** Activities a metric alert named as failed (ActivityFailedRuns `Name`); never pipeline names. */
          failedActivities?: string[];
      }
    | { kind: 'resolved'; alertId: string; signals: FailureSignal[] }
    | { kind: 'ignored'; reason: string }
    | { kind: 'invalid'; issues: IntakeIssue[] };

export type UnresolvedOutcome = Extract<IntakeOutcome, { kind: 'unresolved' }>;

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
