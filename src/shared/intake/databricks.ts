import { z } from 'zod';
import type { FailureSignal } from '../domain';
import { dedupKeyForDatabricks, ticketIdFor } from './dedup';
import { fromZod, invalid, isRecord } from './issues';
import type { DatabricksIntakeOptions, IntakeOutcome } from './types';

/** Ids exceed 2^53: keep them as decimal strings, and refuse numbers that already lost precision. */
const DecimalId = z.unknown().transform((v, ctx): string => {
    if (typeof v === 'string' && /^\d{1,20}$/.test(v.trim())) return v.trim();
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
    const message =
        typeof v === 'number' && Number.isInteger(v)
            ? 'expected a decimal string: this number exceeds 2^53 and has lost precision'
            : 'expected a decimal id (string of digits)';
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
});

const EventSchema = z.object({
    event_type: z.string().max(128),
    workspace_id: DecimalId,
    run: z.object({ run_id: DecimalId, parent_run_id: DecimalId.optional() }),
    // Databricks caps job names at 4096 characters and task keys at 100.
    job: z.object({ job_id: DecimalId.optional(), name: z.string().max(4096).nullish() }).nullish(),
    task: z.object({ task_key: z.string().max(256) }).nullish(),
});

const ID_KEYS = /"(workspace_id|run_id|parent_run_id|job_id)"(\s*:\s*)(\d+)(?=\s*[,}\]])/g;

/** JSON.parse that keeps the Databricks id fields as strings, so 64-bit ids survive. */
export function parseDatabricksJson(text: string): unknown {
    return JSON.parse(text.replace(ID_KEYS, '"$1"$2"$3"')) as unknown;
}

function eventKind(eventType: string): 'failure' | 'warning' | 'other' {
    if (/(^|\.)on_failure$/.test(eventType)) return 'failure';
    return /(^|\.)on_duration_warning_threshold_exceeded$/.test(eventType) ? 'warning' : 'other';
}

/** Normalises a Databricks job notification (webhook destination). Accepts the parsed JSON or the raw text. */
export function parseDatabricksEvent(body: unknown, options: DatabricksIntakeOptions = {}): IntakeOutcome {
    let value = body;
    if (typeof body === 'string') {
        try {
            value = parseDatabricksJson(body);
        } catch {
            return invalid({ path: '(root)', message: 'expected a JSON document: the body is not valid JSON' });
        }
    }
    if (!isRecord(value)) return invalid({ path: '(root)', message: 'expected object' });
    if (typeof value.event_type !== 'string') return invalid({ path: 'event_type', message: 'expected string' });
    const kind = eventKind(value.event_type);
    const eventType = value.event_type.slice(0, 128);
    if (kind === 'warning') {
        return { kind: 'ignored', reason: `Databricks event '${eventType}' recorded; a slow run is not remediated` };
    }
    if (kind !== 'failure') {
        return { kind: 'ignored', reason: `Databricks event '${eventType}' acknowledged; it is not a failure` };
    }
    const parsed = EventSchema.safeParse(value);
    if (!parsed.success) return { kind: 'invalid', issues: fromZod(parsed.error) };
    const e = parsed.data;
    const parentRunId = e.run.parent_run_id ?? e.run.run_id;
    const jobId = e.job?.job_id;
    const jobName = e.job?.name ?? undefined;
    const dedupKey = dedupKeyForDatabricks(e.workspace_id, parentRunId);
    const task = e.task?.task_key;
    const pipeline = jobName ?? (jobId ? `job ${jobId}` : `run ${parentRunId}`);
    const signal: FailureSignal = {
        ticketId: ticketIdFor(dedupKey),
        dedupKey,
        source: 'databricks',
        pipeline,
        runId: parentRunId,
        severity: 'Sev2',
        alertRule: e.event_type,
        firedAt: options.receivedAt ?? new Date().toISOString(),
        description: `Databricks ${pipeline} run ${parentRunId} failed${task ? ` (task ${task}, task run ${e.run.run_id})` : ''}`,
        databricks: {
            workspaceId: e.workspace_id,
            runId: parentRunId,
            ...(jobId ? { jobId } : {}),
            ...(jobName ? { jobName } : {}),
        },
    };
    return { kind: 'failures', signals: [signal] };
}
