import type { FailureSignal } from '../domain';
import { type FactoryId, parseFactoryId } from './armId';
import { dedupKeyForAdf, ticketIdFor } from './dedup';
import { adfSignal, type AlertFacts, distinctSignals } from './signals';
import type { RunRow } from './tables';
import { type IntakeIssue, type IntakeOutcome, LIMITS } from './types';

export interface RunsContext {
    alert: AlertFacts;
    window: { windowStart: string; windowEnd: string };
    /** Alert id used when the outcome is `unresolved` (legacy payloads have none). */
    unresolvedAlertId: string;
    fallbackFactory?: FactoryId;
    /**
     * Legacy payloads only: when no factory is known at all, runs are still keyed (on the subscription)
     * so they become tickets, but the signal carries no `adf` ref and cannot be rerun.
     */
    subscriptionId?: string;
}

function factorylessSignal(scope: string, pipelineName: string, runId: string, alert: AlertFacts): FailureSignal {
    const dedupKey = dedupKeyForAdf(scope, pipelineName, runId);
    const signal: FailureSignal = {
        ticketId: ticketIdFor(dedupKey),
        dedupKey,
        source: 'adf',
        pipeline: pipelineName,
        runId,
        severity: alert.severity,
        firedAt: alert.firedAt,
        description: `${alert.description ? `${alert.description}. ` : ''}The alert names no Data Factory resource id`,
    };
    if (alert.alertRule) signal.alertRule = alert.alertRule;
    if (alert.alertId) signal.alertId = alert.alertId;
    return signal;
}

export function signalsFromRuns(rows: RunRow[], ctx: RunsContext): FailureSignal[] {
    const signals: FailureSignal[] = [];
    for (const row of rows) {
        if (!row.runId || !row.pipelineName) continue;
        const factory = parseFactoryId(row.resourceId) ?? ctx.fallbackFactory;
        if (factory) signals.push(adfSignal({ factory, pipelineName: row.pipelineName, runId: row.runId }, ctx.alert));
        else if (ctx.subscriptionId) {
            const scope = `/subscriptions/${ctx.subscriptionId}`;
            signals.push(factorylessSignal(scope, row.pipelineName, row.runId, ctx.alert));
        }
    }
    return distinctSignals(signals);
}

const FIELDS = [
    ['pipelineName', 'PipelineName', LIMITS.pipelineName],
    ['runId', 'RunId', LIMITS.runId],
    ['resourceId', '_ResourceId', LIMITS.id],
] as const;

/** Values longer than any real one (ADF caps pipeline names at 140 characters): named, never truncated. */
export function rowIssues(rows: RunRow[]): IntakeIssue[] {
    const issues: IntakeIssue[] = [];
    for (const row of rows) {
        for (const [field, column, max] of FIELDS) {
            const value = row[field];
            if (value !== undefined && value.length > max) {
                const path = `${row.path ?? '(row)'}[${column}]`;
                issues.push({ path, message: `expected at most ${max} characters, got ${value.length}` });
            }
        }
        if (issues.length >= 10) break;
    }
    return issues;
}

/** Failures when run ids are known, else a run lookup for the factory, else nothing to act on. */
export function outcomeFromRuns(rows: RunRow[], ctx: RunsContext): IntakeOutcome {
    const issues = rowIssues(rows);
    if (issues.length > 0) return { kind: 'invalid', issues };
    const signals = signalsFromRuns(rows, ctx);
    if (signals.length > 0) return { kind: 'failures', signals };
    const factory = rows.map((r) => parseFactoryId(r.resourceId)).find((f) => f) ?? ctx.fallbackFactory;
    if (!factory) {
        return {
            kind: 'ignored',
            reason: `alert rule '${ctx.alert.alertRule ?? 'unknown'}' names no Data Factory run or factory (add RunId and _ResourceId dimensions)`,
        };
    }
    const pipelines = new Set(rows.map((r) => r.pipelineName).filter((p): p is string => p !== undefined));
    const outcome: IntakeOutcome = {
        kind: 'unresolved',
        source: 'adf',
        ...factory,
        ...ctx.window,
        alertId: ctx.unresolvedAlertId,
        severity: ctx.alert.severity,
        firedAt: ctx.alert.firedAt,
    };
    if (pipelines.size === 1) outcome.pipelineName = [...pipelines][0];
    if (ctx.alert.alertRule) outcome.alertRule = ctx.alert.alertRule;
    if (ctx.alert.description) outcome.description = ctx.alert.description;
    return outcome;
}
