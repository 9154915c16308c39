import { parseFactoryId } from './armId';
import {
    type AlertContext,
    AlertContextSchema,
    dimensionsOf,
    type Essentials,
    LegacyTablesSchema,
} from './commonSchema';
import { fromZod } from './issues';
import { outcomeFromRuns, rowIssues, type RunsContext, signalsFromRuns } from './runs';
import { type AlertFacts, lookbackWindow } from './signals';
import { runRowsOf, type RunRow } from './tables';
import type { IntakeOutcome } from './types';

const FAILED_RUN_METRICS = new Set(['pipelinefailedruns', 'activityfailedruns', 'triggerfailedruns']);

function alertFacts(e: Essentials): AlertFacts {
    return {
        severity: e.severity,
        firedAt: e.firedDateTime,
        alertId: e.alertId,
        alertRule: e.alertRule,
        ...(e.description ? { description: e.description } : {}),
    };
}

function windowOf(ctx: AlertContext | undefined, firedAt: string): { windowStart: string; windowEnd: string } {
    const start = ctx?.condition?.windowStartTime;
    const end = ctx?.condition?.windowEndTime;
    return start && end ? { windowStart: start, windowEnd: end } : lookbackWindow(firedAt);
}

/** Log alerts: run identity from dimensions (V2) or from embedded search results (older log alerts). */
function logRows(ctx: AlertContext): RunRow[] {
    const rows: RunRow[] = [];
    for (const [i, criterion] of (ctx.condition?.allOf ?? []).entries()) {
        const dims = dimensionsOf(criterion);
        const row: RunRow = { path: `data.alertContext.condition.allOf[${i}].dimensions` };
        const pipelineName = dims.get('pipelinename');
        const runId = dims.get('runid') ?? dims.get('pipelinerunid');
        const resourceId = dims.get('_resourceid') ?? dims.get('resourceid');
        if (pipelineName) row.pipelineName = pipelineName;
        if (runId) row.runId = runId;
        if (resourceId) row.resourceId = resourceId;
        rows.push(row);
    }
    for (const [name, embedded] of [['SearchResults', ctx.SearchResults], ['SearchResult', ctx.SearchResult]] as const) {
        const tables = LegacyTablesSchema.safeParse(embedded);
        if (tables.success) rows.push(...runRowsOf(tables.data, `data.alertContext.${name}`));
    }
    return rows;
}

/** Metric alerts carry no run id: name the pipeline(s) and the window, and let the caller look the runs up. */
function metricOutcome(ctx: AlertContext, runs: RunsContext): IntakeOutcome {
    const rows: RunRow[] = [];
    const activities: string[] = [];
    const metrics: string[] = [];
    for (const criterion of ctx.condition?.allOf ?? []) {
        const metric = (criterion.metricName ?? '').toLowerCase();
        metrics.push(criterion.metricName ?? '(none)');
        if (!FAILED_RUN_METRICS.has(metric)) continue;
        const dims = dimensionsOf(criterion);
        // `Name` is the pipeline for PipelineFailedRuns but the activity for ActivityFailedRuns.
        if (metric === 'pipelinefailedruns') rows.push({ pipelineName: dims.get('name') ?? '' });
        if (metric === 'activityfailedruns') {
            rows.push({ pipelineName: dims.get('pipelinename') ?? '' });
            const activity = dims.get('name');
            if (activity) activities.push(activity);
        }
        if (metric === 'triggerfailedruns') rows.push({});
    }
    if (rows.length === 0) {
        return {
            kind: 'ignored',
            reason: `metric alert '${runs.alert.alertRule}' watches no failed-runs metric (${metrics.join(', ')})`,
        };
    }
    const named = rows.filter((r) => r.pipelineName);
    const outcome = outcomeFromRuns(named.length === rows.length ? named : [], runs);
    if (outcome.kind === 'unresolved' && activities.length > 0) outcome.failedActivities = [...new Set(activities)];
    return outcome;
}

export function parseCommonAlert(
    essentials: Essentials,
    rawContext: unknown,
    contextPath: readonly string[] = ['data', 'alertContext'],
): IntakeOutcome {
    const service = essentials.monitoringService ?? '';
    if (/^activity log/i.test(service) || /^activity log/i.test(essentials.signalType ?? '')) {
        return {
            kind: 'ignored',
            reason: `activity log event from rule '${essentials.alertRule}' is not a run failure`,
        };
    }
    const parsed = AlertContextSchema.nullish().safeParse(rawContext);
    if (!parsed.success) return { kind: 'invalid', issues: fromZod(parsed.error, contextPath) };
    const ctx = parsed.data ?? undefined;
    const alert = alertFacts(essentials);
    const target = parseFactoryId(essentials.alertTargetIDs[0]);
    const runs: RunsContext = {
        alert,
        window: windowOf(ctx, essentials.firedDateTime),
        unresolvedAlertId: essentials.alertId,
        ...(target ? { fallbackFactory: target } : {}),
    };
    const conditionType = (ctx?.conditionType ?? '').toLowerCase();
    const isLog = conditionType === 'logquerycriteria' || (ctx?.SearchResults !== undefined && ctx?.SearchResults !== null) || (ctx?.SearchResult !== undefined && ctx?.SearchResult !== null);
    const rows = ctx && isLog ? logRows(ctx) : [];

    if (essentials.monitorCondition === 'Resolved') {
        const issues = rowIssues(rows);
        if (issues.length > 0) return { kind: 'invalid', issues };
        return {
            kind: 'resolved',
            alertId: essentials.alertId,
            resolvedAt: essentials.resolvedDateTime ?? essentials.firedDateTime,
            alertRule: essentials.alertRule,
            signals: signalsFromRuns(rows, runs),
        };
    }
    if (isLog) return outcomeFromRuns(rows, runs);
    if (!target) {
        return {
            kind: 'ignored',
            reason: `alert '${essentials.alertRule}' targets no Data Factory (${essentials.alertTargetIDs[0] ?? 'no target'})`,
        };
    }
    if (ctx?.condition?.allOf && ctx.condition.allOf.length > 0) return metricOutcome(ctx, runs);
    // alertContext null or {}: only the factory is known; look for failed runs before firedDateTime.
    return outcomeFromRuns([], runs);
}
