import { createHash } from 'node:crypto';

/** `adf|<factory id lower-case>|<pipeline NFC>|<run id lower-case>`. */
export function dedupKeyForAdf(factoryResourceId: string, pipelineName: string, runId: string): string {
    return `adf|${factoryResourceId.toLowerCase()}|${pipelineName.normalize('NFC')}|${runId.toLowerCase()}`;
}

/** `dbx|<workspace id>|<parent run id>`: a task failure and its job failure share one key. */
export function dedupKeyForDatabricks(workspaceId: string, parentRunId: string): string {
    return `dbx|${workspaceId}|${parentRunId}`;
}

/** Key for an ADF alert whose run is not known yet: the alert id plus its evaluation window. */
export function dedupKeyForAlertWindow(alertId: string, windowStart: string, windowEnd: string): string {
    return `adf-alert|${alertId.toLowerCase()}|${windowStart}|${windowEnd}`;
}

/** A Durable-safe instance id (hex only after the prefix, so never `/ \ ? #`). */
export function ticketIdFor(dedupKey: string): string {
    const prefix = dedupKey.startsWith('dbx|') ? 'dbx-' : 'adf-';
    return prefix + createHash('sha256').update(dedupKey, 'utf8').digest('hex').slice(0, 32);
}

const hash = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 32);

/** Instance id of the run lookup for an alert that names no run (one per alert and window). */
export function lookupIdFor(dedupKey: string): string {
    return `lookup-${hash(dedupKey)}`;
}

/** Instance id of the annotation a Resolved notification makes (one per alert and resolution time). */
export function resolvedNoteIdFor(alertId: string, resolvedAt: string): string {
    return `resolved-${hash(`${alertId.toLowerCase()}|${resolvedAt}`)}`;
}

/** Partition of the alert → tickets index (a Resolved metric alert finds its tickets through it). */
export function alertIndexKeyFor(alertId: string): string {
    return `alert-${hash(alertId.toLowerCase())}`;
}
