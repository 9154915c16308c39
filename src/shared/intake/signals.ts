import type { FailureSignal } from '../domain';
import type { FactoryId } from './armId';
import { dedupKeyForAdf, ticketIdFor } from './dedup';

export interface AdfRunHint {
    factory: FactoryId;
    pipelineName: string;
    runId: string;
}

export interface AlertFacts {
    severity: string;
    firedAt: string;
    alertId?: string;
    alertRule?: string;
    description?: string;
}

export function adfSignal(run: AdfRunHint, alert: AlertFacts): FailureSignal {
    const dedupKey = dedupKeyForAdf(run.factory.factoryResourceId, run.pipelineName, run.runId);
    const signal: FailureSignal = {
        ticketId: ticketIdFor(dedupKey),
        dedupKey,
        source: 'adf',
        pipeline: run.pipelineName,
        runId: run.runId,
        severity: alert.severity,
        firedAt: alert.firedAt,
        adf: { ...run.factory, pipelineName: run.pipelineName, runId: run.runId },
    };
    if (alert.alertId) signal.alertId = alert.alertId;
    if (alert.alertRule) signal.alertRule = alert.alertRule;
    if (alert.description) signal.description = alert.description;
    return signal;
}

/** One signal per dedup key, first occurrence wins (an alert may repeat a run in several rows). */
export function distinctSignals(signals: FailureSignal[]): FailureSignal[] {
    const seen = new Map<string, FailureSignal>();
    for (const s of signals) if (!seen.has(s.dedupKey)) seen.set(s.dedupKey, s);
    return [...seen.values()];
}

/** How far back to look for failed runs when an alert carries no window (e.g. alertContext null). */
export const DEFAULT_LOOKBACK_MINUTES = 60;

export function lookbackWindow(firedAt: string): { windowStart: string; windowEnd: string } {
    const end = Date.parse(firedAt);
    return {
        windowStart: new Date(end - DEFAULT_LOOKBACK_MINUTES * 60_000).toISOString(),
        windowEnd: new Date(end).toISOString(),
    };
}
