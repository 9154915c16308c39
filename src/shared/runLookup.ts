import { asDelivery, FIRST } from './clients/intakeStore';
import type { FailureSignal } from './domain';
import { adfSignal, alertIndexKeyFor, dedupKeyForAdf, type RunLookupRequest, ticketIdFor } from './intake';
import { claimAndStart, type IntakeDeps, type OrchestrationStarter, startOnce } from './intakeService';
import type { AdfRunSummary } from './ports';

/** The input of a run lookup: the alert, its window and the key the alert is known by. */
export interface RunLookup extends Omit<RunLookupRequest, 'kind'> {
    lookupId: string;
    /** `adf-alert|<alert id>|<window>`: also the key of the 'run unknown' ticket when no failed run is found. */
    dedupKey: string;
}

export type FoundRuns = { ok: true; runs: AdfRunSummary[] } | { ok: false; reason: string };

/** The annotation a Resolved notification makes on the tickets its alert opened. */
export interface ResolvedNote {
    noteId: string;
    alertId: string;
    alertRule?: string;
    resolvedAt: string;
    ticketIds: string[];
}

/** Metric points, log ingestion and the evaluation grain lag the run's own times: look this far either side. */
export const LOOKUP_MARGIN_MINUTES = 15;
/** One ticket per failed run, up to this many per alert (a storm beyond it is one incident for people anyway). */
export const MAX_RUNS_PER_LOOKUP = 1000;

export function lookupWindow(lookup: Pick<RunLookup, 'windowStart' | 'windowEnd'>): { after: string; before: string } {
    const margin = LOOKUP_MARGIN_MINUTES * 60_000;
    return {
        after: new Date(Date.parse(lookup.windowStart) - margin).toISOString(),
        before: new Date(Date.parse(lookup.windowEnd) + margin).toISOString(),
    };
}

function alertFacts(lookup: RunLookup, extra: string) {
    const named = lookup.failedActivities ?? [];
    const activities = named.length ? `Failed activity named by the alert: ${named.join(', ')}. ` : '';
    const description = `${lookup.description ? `${lookup.description}. ` : ''}${activities}${extra}`.trim();
    return {
        severity: lookup.severity,
        firedAt: lookup.firedAt,
        alertId: lookup.alertId,
        ...(lookup.alertRule ? { alertRule: lookup.alertRule } : {}),
        ...(description ? { description } : {}),
    };
}

/** A ticket for a failed run the lookup found, carrying the run record so it is not read twice. */
export function runSignal(lookup: RunLookup, run: AdfRunSummary): FailureSignal {
    const { runId, pipelineName, ...knownRun } = run;
    const { factoryResourceId, subscriptionId, resourceGroup, factoryName } = lookup;
    const factory = { factoryResourceId, subscriptionId, resourceGroup, factoryName };
    const found = `Found by a run lookup over ${lookup.windowStart} – ${lookup.windowEnd}.`;
    const signal = adfSignal({ factory, pipelineName, runId }, alertFacts(lookup, found));
    if (signal.adf) signal.adf.knownRun = knownRun;
    return signal;
}

/** The one ticket of an alert whose window holds no failed run: a person looks; nothing can be rerun. */
export function unknownRunSignal(lookup: RunLookup, why: string): FailureSignal {
    const facts = alertFacts(lookup, why);
    return {
        ticketId: ticketIdFor(lookup.dedupKey),
        dedupKey: lookup.dedupKey,
        source: 'adf',
        pipeline: lookup.pipelineName ?? `(any pipeline of ${lookup.factoryName})`,
        runId: 'unknown',
        ...facts,
    };
}

/** The ticket of the run a recovery rerun belongs to (its run group id is the first run's id). */
function groupParentId(lookup: RunLookup, run: AdfRunSummary): string | undefined {
    if (!run.runGroupId || run.runGroupId.toLowerCase() === run.runId.toLowerCase()) return undefined;
    return ticketIdFor(dedupKeyForAdf(lookup.factoryResourceId, run.pipelineName, run.runGroupId));
}

/**
 * Opens one ticket per failed run (or the 'run unknown' ticket), each exactly once whatever else alerted on
 * the run, files the alert's deliveries on them and indexes them under the alert id. A run of a ticket's run
 * group (one of our reruns, or a person's) is counted on that ticket instead. Safe to repeat.
 */
export async function openRunTickets(
    deps: IntakeDeps & { now: () => Date },
    starter: OrchestrationStarter,
    lookup: RunLookup,
    found: FoundRuns,
): Promise<{ ticketIds: string[]; started: number }> {
    const runs = found.ok ? found.runs.slice(0, MAX_RUNS_PER_LOOKUP) : [];
    const of = lookup.pipelineName ? ` of ${lookup.pipelineName}` : '';
    const why = found.ok
        ? `No failed run${of} was found between ${lookup.windowStart} and ${lookup.windowEnd}.`
        : `The run lookup failed: ${found.reason}`;
    const first = (await deps.intake.deliveries(lookup.lookupId)).find((d) => d.rowKey === FIRST);
    if (!first) throw new Error(`run lookup ${lookup.lookupId} has no delivery`);
    const delivery = asDelivery(first);
    const targets: { signal: FailureSignal; parent?: string }[] = runs.length
        ? runs.map((run) => ({ signal: runSignal(lookup, run), parent: groupParentId(lookup, run) }))
        : [{ signal: unknownRunSignal(lookup, why) }];
    let started = 0;
    const ticketIds: string[] = [];
    for (const { signal, parent } of targets) {
        const id = signal.ticketId;
        const own = await deps.intake.marker(id);
        let attachTo = own?.parentTicketId;
        if (!own && parent && (await deps.intake.marker(parent))) attachTo = parent;
        if (attachTo) {
            await deps.intake.record(attachTo, delivery);
        } else if (own?.lookupId === lookup.lookupId) {
            // This activity ran before and claimed the ticket: make sure its remediation was started.
            if (!(await starter.exists(id)) && (await startOnce(starter, 'remediate', id, signal))) started++;
        } else {
            const claimed = await claimAndStart(deps, starter, 'remediate', id, signal, delivery, {
                lookupId: lookup.lookupId,
            });
            if (claimed.started) started++;
        }
        if (!ticketIds.includes(attachTo ?? id)) ticketIds.push(attachTo ?? id);
    }
    await deps.intake.index(alertIndexKeyFor(lookup.alertId), ticketIds, deps.now().toISOString());
    await deps.intake.updateMarker(lookup.lookupId, { ticketIds: JSON.stringify(ticketIds) });
    // Deliveries repeated while the lookup ran: counted on every ticket (idempotent per delivery id).
    const repeats = (await deps.intake.deliveries(lookup.lookupId)).filter((d) => d.rowKey !== FIRST);
    for (const id of ticketIds) for (const row of repeats) await deps.intake.record(id, asDelivery(row));
    return { ticketIds, started };
}
