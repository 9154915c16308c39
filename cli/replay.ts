import { classify } from '../src/shared/classifier';
import type { Config } from '../src/shared/config';
import type { AnalysisResult, Classification, Decision, FailureDetails, FailureSignal } from '../src/shared/domain';
import { parseAzureMonitorAlert, parseDatabricksEvent, type IntakeIssue, type UnresolvedOutcome } from '../src/shared/intake';
import { dedupKeyForAlertWindow, ticketIdFor } from '../src/shared/intake';
import { overlayDecision } from '../src/shared/pipelinePolicy';
import { decide } from '../src/shared/policy';
import type { AdfConnector, DatabricksConnector } from '../src/shared/ports';
import { rulesAnalysis } from '../src/shared/rulesAnalysis';
import { alertPath } from '../devhost/endpoints';

/** What a dry run needs: the configuration, and where the failed runs' details come from. */
export interface ReplayDeps {
    config: Config;
    /** The failure details to use for every run instead of asking ADF or Databricks (`--details FILE`). */
    details?: FailureDetails;
    adf: Pick<AdfConnector, 'fetchFailure'>;
    databricks: Pick<DatabricksConnector, 'fetchFailure'>;
    now: () => Date;
}

export type Source = 'azure-monitor' | 'databricks';

export interface TicketReplay {
    signal: FailureSignal;
    detailsFrom: 'file' | 'adf' | 'databricks' | 'none';
    details?: FailureDetails;
    /** Set when the details could not be fetched: the app would retry that step, then escalate. */
    fetchError?: string;
    classification?: Classification;
    analysis?: AnalysisResult;
    decision?: Decision;
}

export type ReplayReport =
    | { kind: 'invalid'; source: Source; issues: IntakeIssue[] }
    | { kind: 'ignored'; source: Source; reason: string }
    | { kind: 'resolved'; source: Source; ticketIds: string[] }
    | { kind: 'unresolved'; source: Source; outcome: UnresolvedOutcome; ticketId: string }
    | { kind: 'failures'; source: Source; tickets: TicketReplay[]; omitted: number };

async function fetchDetails(signal: FailureSignal, deps: ReplayDeps): Promise<Pick<TicketReplay, 'details' | 'detailsFrom' | 'fetchError'>> {
    if (deps.details) return { details: deps.details, detailsFrom: 'file' };
    const from = signal.adf ? 'adf' : signal.databricks ? 'databricks' : 'none';
    try {
        if (signal.adf) return { details: await deps.adf.fetchFailure(signal.adf), detailsFrom: from };
        if (signal.databricks) return { details: await deps.databricks.fetchFailure(signal.databricks), detailsFrom: from };
    } catch (e) {
        return { detailsFrom: from, fetchError: e instanceof Error ? e.message : String(e) };
    }
    return { details: { found: false, errors: [] }, detailsFrom: 'none' };
}

/** The decision the decideRemediation activity takes for a first attempt: the same policy, overlay and settings. */
function decideFirst(signal: FailureSignal, details: FailureDetails, c: Classification, analysis: AnalysisResult, deps: ReplayDeps): Decision {
    if (!details.found) {
        const where = signal.source === 'adf' ? 'Data Factory' : 'Databricks';
        return {
            action: 'escalate', autoHeal: false, maxAttempts: 0, delaySeconds: 0,
            reason: `The failed run ${signal.runId} is no longer available in ${where} (not found); there is nothing to rerun, a person must look.`,
        };
    }
    const { config } = deps;
    const decision = decide({
        classification: c,
        analysis,
        attemptsMade: 0,
        maxAttempts: config.MAX_AUTO_HEAL_ATTEMPTS,
        baseDelaySeconds: config.RETRY_BASE_DELAY_SECONDS,
        capacityDelaySeconds: config.CAPACITY_RETRY_DELAY_SECONDS,
        capacityMaxAttempts: config.CAPACITY_MAX_ATTEMPTS,
        now: deps.now().toISOString(),
        maxUpstreamWaitHours: config.MAX_UPSTREAM_WAIT_HOURS,
        integrationRuntimeWaitMinutes: config.INTEGRATION_RUNTIME_WAIT_MINUTES,
        seed: signal.ticketId,
    });
    // The circuit breaker's state lives in storage, which a dry run does not read: it is taken as closed.
    return overlayDecision(decision, {
        pipeline: signal.pipeline, attemptsMade: 0, now: deps.now(), errorClass: c.errorClass,
        overrides: config.PIPELINE_OVERRIDES, windows: config.MAINTENANCE_WINDOWS, approvalClasses: config.APPROVAL_REQUIRED_CLASSES,
        approval: { timeoutMinutes: config.APPROVAL_TIMEOUT_MINUTES, defaultOutcome: config.APPROVAL_DEFAULT },
        dryRun: config.DRY_RUN,
    });
}

async function replayTicket(signal: FailureSignal, deps: ReplayDeps): Promise<TicketReplay> {
    const fetched = await fetchDetails(signal, deps);
    if (!fetched.details) return { signal, ...fetched };
    const details = fetched.details;
    const classification = classify(signal.source, details);
    // Dry run: the deterministic analysis only. A model can change the outcome only where no rule decides.
    const analysis: AnalysisResult = {
        source: 'rules',
        analysis: rulesAnalysis(classification, details),
        note: 'replay uses the rules analysis; the app may also consult the configured model',
    };
    return { signal, ...fetched, classification, analysis, decision: decideFirst(signal, details, classification, analysis, deps) };
}

/**
 * Runs an alert body through intake, the failure lookup, classification and policy exactly as the app would for a
 * first delivery, without writing anything or starting any rerun.
 */
export async function replayAlert(text: string, deps: ReplayDeps, opts: { max?: number } = {}): Promise<ReplayReport> {
    const source: Source = alertPath(text) === '/api/alerts/databricks' ? 'databricks' : 'azure-monitor';
    const outcome =
        source === 'databricks'
            ? parseDatabricksEvent(text, { receivedAt: deps.now().toISOString() })
            : parseAzureMonitorAlert(text);
    switch (outcome.kind) {
        case 'invalid':
            return { kind: 'invalid', source, issues: outcome.issues };
        case 'ignored':
            return { kind: 'ignored', source, reason: outcome.reason };
        case 'resolved':
            return { kind: 'resolved', source, ticketIds: outcome.signals.map((s) => s.ticketId) };
        case 'unresolved': {
            const ticketId = ticketIdFor(dedupKeyForAlertWindow(outcome.alertId, outcome.windowStart, outcome.windowEnd));
            return { kind: 'unresolved', source, outcome, ticketId };
        }
        case 'failures': {
            const max = opts.max ?? 20;
            const tickets: TicketReplay[] = [];
            for (const signal of outcome.signals.slice(0, max)) tickets.push(await replayTicket(signal, deps));
            return { kind: 'failures', source, tickets, omitted: Math.max(0, outcome.signals.length - max) };
        }
    }
}
