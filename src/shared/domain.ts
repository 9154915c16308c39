import { z } from 'zod';

/** The error classes of the deterministic classifier; the analysis category uses the same words. */
export const ErrorClassSchema = z.enum([
    'transient',
    'capacity',
    'infrastructure',
    'configuration',
    'data',
    'code',
    'permission',
    'unknown',
]);
export type ErrorClass = z.infer<typeof ErrorClassSchema>;

export const SourceSchema = z.enum(['adf', 'databricks']);
export type Source = z.infer<typeof SourceSchema>;

/** Identity of a failed ADF pipeline run. `factoryResourceId` keeps the alert's spelling; compare it case-insensitively. */
export const AdfRunRefSchema = z.object({
    factoryResourceId: z.string(),
    subscriptionId: z.string(),
    resourceGroup: z.string(),
    factoryName: z.string(),
    pipelineName: z.string(),
    runId: z.string(),
});
export type AdfRunRef = z.infer<typeof AdfRunRefSchema>;

/** Identity of a failed Databricks job run (ids kept as decimal strings: they exceed 2^53 in practice). */
export const DatabricksRunRefSchema = z.object({
    workspaceId: z.string(),
    runId: z.string(),
    jobId: z.string().optional(),
    jobName: z.string().optional(),
});
export type DatabricksRunRef = z.infer<typeof DatabricksRunRefSchema>;

/** One normalised failure, whatever payload it came from: the orchestration's input. */
export const FailureSignalSchema = z.object({
    ticketId: z.string(),
    dedupKey: z.string(),
    source: SourceSchema,
    pipeline: z.string(),
    runId: z.string(),
    severity: z.string(),
    alertId: z.string().optional(),
    alertRule: z.string().optional(),
    firedAt: z.string(),
    description: z.string().optional(),
    adf: AdfRunRefSchema.optional(),
    databricks: DatabricksRunRefSchema.optional(),
});
export type FailureSignal = z.infer<typeof FailureSignalSchema>;

/** One error found on the failed run (an ADF activity error, a Databricks task or run termination). */
export const RunErrorSchema = z.object({
    scope: z.enum(['run', 'activity', 'task']),
    name: z.string(),
    type: z.string().optional(),
    code: z.string().optional(),
    failureType: z.string().optional(),
    terminationType: z.string().optional(),
    message: z.string(),
});
export type RunError = z.infer<typeof RunErrorSchema>;

export const FailureDetailsSchema = z.object({
    found: z.boolean(),
    runStatus: z.string().optional(),
    runMessage: z.string().optional(),
    runUrl: z.string().optional(),
    errors: z.array(RunErrorSchema),
});
export type FailureDetails = z.infer<typeof FailureDetailsSchema>;

export const ClassificationSchema = z.object({
    errorClass: ErrorClassSchema,
    /** Id of the taxonomy row that matched, or 'none'. */
    ruleId: z.string(),
    /** Whether the rule allows an automatic rerun; null when no rule decides (the model may advise). */
    retryable: z.boolean().nullable(),
    errorCode: z.string().optional(),
    reason: z.string(),
    /** Facts pulled out of the message (container, path, host...). */
    extracted: z.record(z.string(), z.string()).default({}),
});
export type Classification = z.infer<typeof ClassificationSchema>;

/** What Gemini is asked to return; strict: no coercion, no extra keys. */
export const AnalysisSchema = z
    .object({
        root_cause: z.string().min(1),
        category: ErrorClassSchema,
        auto_heal_possible: z.boolean(),
        recommended_action: z.string().min(1),
        confidence: z.number().min(0).max(1),
    })
    .strict();
export type Analysis = z.infer<typeof AnalysisSchema>;

export const AnalysisResultSchema = z.object({
    source: z.enum(['gemini', 'rules']),
    analysis: AnalysisSchema,
    /** Why Gemini was not used, or failed. */
    note: z.string().optional(),
});
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;

export const DecisionSchema = z.object({
    action: z.enum(['rerun', 'escalate']),
    autoHeal: z.boolean(),
    reason: z.string(),
    maxAttempts: z.number().int().min(0),
    /** Delay before the next attempt (attempt numbers start at 1). */
    delaySeconds: z.number().min(0),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const RunStateSchema = z.object({
    runId: z.string(),
    state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'unknown']),
    rawStatus: z.string(),
    message: z.string().optional(),
    url: z.string().optional(),
});
export type RunState = z.infer<typeof RunStateSchema>;

export const TERMINAL_STATES: ReadonlySet<RunState['state']> = new Set(['succeeded', 'failed', 'cancelled']);

export const TicketStatusSchema = z.enum([
    'open',
    'analysing',
    'remediating',
    'monitoring',
    'auto_healed',
    'escalated',
    'resolved',
    'ignored',
    'rejected',
]);
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

export const FINAL_STATUSES: ReadonlySet<TicketStatus> = new Set([
    'auto_healed',
    'escalated',
    'resolved',
    'ignored',
    'rejected',
]);

export const TicketSchema = z.object({
    id: z.string(),
    source: SourceSchema,
    status: TicketStatusSchema,
    dedupKey: z.string(),
    pipeline: z.string(),
    runId: z.string(),
    severity: z.string(),
    alertId: z.string().optional(),
    factoryResourceId: z.string().optional(),
    workspaceId: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().optional(),
    mttrSeconds: z.number().optional(),
    attempts: z.number().int(),
    rerunRunIds: z.array(z.string()),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    category: ErrorClassSchema.optional(),
    ruleId: z.string().optional(),
    /** Facts the classifier pulled out of the error (container, path, endpoint host, integration runtime...). */
    facts: z.record(z.string(), z.string()).optional(),
    autoHeal: z.boolean().optional(),
    decisionReason: z.string().optional(),
    analysis: AnalysisResultSchema.optional(),
    runUrl: z.string().optional(),
    relatedAlerts: z.number().int(),
});
export type Ticket = z.infer<typeof TicketSchema>;

export const AuditEventSchema = z.object({
    ticketId: z.string(),
    seq: z.number().int(),
    at: z.string(),
    type: z.string(),
    summary: z.string(),
    data: z.record(z.string(), z.unknown()).default({}),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
