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
    /** The run as a run lookup (queryPipelineRuns) returned it: the same record a GET would, already read. */
    knownRun: z
        .object({
            runGroupId: z.string().optional(),
            status: z.string().optional(),
            message: z.string().optional(),
            runStart: z.string().optional(),
            runEnd: z.string().optional(),
            lastUpdated: z.string().optional(),
        })
        .optional(),
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
    /** Where the whole (redacted) text is kept when `message` had to be clipped: `<container>/<blob>`. */
    fullTextBlob: z.string().optional(),
    /** Length of the whole text, when clipped. */
    fullTextChars: z.number().int().optional(),
});
export type RunError = z.infer<typeof RunErrorSchema>;

export const FailureDetailsSchema = z.object({
    found: z.boolean(),
    /** Why the run could not be read at all (a workspace that is not configured, a 403...): not retryable. */
    lookupError: z.string().optional(),
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
    /** Who analysed: a model (Gemini, or the local Ollama-compatible one) or the deterministic rules. */
    source: z.enum(['gemini', 'ollama', 'rules']),
    analysis: AnalysisSchema,
    /** Why no model analysis was used, or what failed on the way. */
    note: z.string().optional(),
    model: z.string().optional(),
    /** Model calls and tokens (usageMetadata) spent on this ticket; zero calls on a cache hit. */
    usage: z
        .object({
            calls: z.number().int(),
            promptTokens: z.number().int(),
            outputTokens: z.number().int(),
            totalTokens: z.number().int(),
        })
        .optional(),
    /** Set when the analysis came from the error-signature cache. */
    cached: z.object({ signature: z.string(), firstTicketId: z.string(), at: z.string() }).optional(),
    /** Blob (`<container>/<name>`) holding the redacted prompts and raw replies of this analysis. */
    archive: z.string().optional(),
});
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;

export const DecisionSchema = z.object({
    action: z.enum(['rerun', 'escalate']),
    autoHeal: z.boolean(),
    reason: z.string(),
    maxAttempts: z.number().int().min(0),
    /** Delay before the next attempt (attempt numbers start at 1). */
    delaySeconds: z.number().min(0),
    /** A condition to wait for before rerunning (polled with durable timers, bounded). */
    waitFor: z
        .object({ kind: z.literal('integrationRuntime'), name: z.string(), maxWaitMinutes: z.number().positive() })
        .optional(),
    /** A person must approve the rerun first; without an answer in time, the default outcome applies. */
    approval: z
        .object({ timeoutMinutes: z.number().positive(), defaultOutcome: z.enum(['approve', 'reject']), why: z.string() })
        .optional(),
    /** Decide and record, execute nothing. */
    dryRun: z.boolean().optional(),
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
    'awaiting_approval',
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
    /** Databricks repairs made (the run id stays the same; each repair has its own id). */
    repairIds: z.array(z.string()).optional(),
    errorCode: z.string().optional(),
    errorMessage: z.string().optional(),
    category: ErrorClassSchema.optional(),
    ruleId: z.string().optional(),
    /** Facts the classifier pulled out of the error (container, path, endpoint host, integration runtime...). */
    facts: z.record(z.string(), z.string()).optional(),
    autoHeal: z.boolean().optional(),
    decisionReason: z.string().optional(),
    analysis: AnalysisResultSchema.optional(),
    /** The whole error text, when it was too long for the ticket and the orchestration history. */
    errorTextBlob: z.string().optional(),
    runUrl: z.string().optional(),
    relatedAlerts: z.number().int(),
    /** Incremented on every journal write: dashboards apply a pushed update only when it is newer (C39). */
    version: z.number().int().optional(),
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
