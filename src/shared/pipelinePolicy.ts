import { z } from 'zod';

import { type Decision, type ErrorClass, ErrorClassSchema } from './domain';

/** A JSON setting parsed with a schema; the error names the setting's shape. */
const jsonSetting = <T extends z.ZodType>(schema: T, example: string) =>
    z
        .string()
        .default('[]')
        .transform((text, ctx) => {
            try {
                const parsed = schema.safeParse(JSON.parse(text));
                if (parsed.success) return parsed.data;
                ctx.addIssue({ code: 'custom', message: `${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')} (e.g. ${example})` });
            } catch {
                ctx.addIssue({ code: 'custom', message: `expected JSON, e.g. ${example}` });
            }
            return z.NEVER;
        });

const OverrideSchema = z
    .object({
        /** Pipeline or job name pattern: `*` matches any run of characters; case-insensitive. */
        pipeline: z.string().min(1),
        neverAutoHeal: z.boolean().optional(),
        requireApproval: z.boolean().optional(),
        maxAttempts: z.number().int().min(0).optional(),
    })
    .strict();
export type PipelineOverride = z.infer<typeof OverrideSchema>;

const WindowSchema = z
    .object({
        pipeline: z.string().min(1).default('*'),
        days: z.array(z.enum(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])).min(1),
        from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (UTC)'),
        to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM (UTC)'),
    })
    .strict();
export type MaintenanceWindow = z.infer<typeof WindowSchema>;

export const pipelineOverrides = jsonSetting(z.array(OverrideSchema), '[{"pipeline":"pl_finance_*","requireApproval":true}]');
export const maintenanceWindows = jsonSetting(z.array(WindowSchema), '[{"pipeline":"*","days":["Sun"],"from":"01:00","to":"05:00"}]');
export const errorClassList = z
    .string()
    .default('')
    .transform((text, ctx) => {
        const out: ErrorClass[] = [];
        for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
            const parsed = ErrorClassSchema.safeParse(item);
            if (parsed.success) out.push(parsed.data);
            else ctx.addIssue({ code: 'custom', message: `"${item}" is not an error class (${ErrorClassSchema.options.join(', ')})` });
        }
        return out;
    });

export function matchesPattern(pattern: string, name: string): boolean {
    const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
    return regex.test(name.normalize('NFC'));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** The end of the maintenance window `now` falls in for this pipeline, if any (windows are UTC, same-day). */
export function maintenanceEnd(windows: MaintenanceWindow[], pipeline: string, now: Date): Date | undefined {
    const day = DAYS[now.getUTCDay()]!;
    const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
    let end: number | undefined;
    for (const w of windows) {
        if (!w.days.includes(day) || !matchesPattern(w.pipeline, pipeline)) continue;
        const from = minutesOf(w.from);
        const to = minutesOf(w.to);
        if (minute >= from && minute < to) end = Math.max(end ?? 0, to);
    }
    if (end === undefined) return undefined;
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    return new Date(midnight + end * 60_000);
}

export interface Overlay {
    pipeline: string;
    attemptsMade: number;
    now: Date;
    overrides: PipelineOverride[];
    windows: MaintenanceWindow[];
    approvalClasses: ErrorClass[];
    errorClass: ErrorClass;
    approval: { timeoutMinutes: number; defaultOutcome: 'approve' | 'reject' };
    dryRun: boolean;
    /** When the pipeline's circuit breaker is open: until when, and why. */
    breaker?: { until: string; failures: number; windowMinutes: number };
}

/**
 * Configuration laid over the policy's decision, most restrictive first: never-auto-heal, the circuit breaker,
 * the per-pipeline attempt cap, maintenance windows (the rerun waits for the window's end), approval, dry run.
 */
export function overlayDecision(decision: Decision, o: Overlay): Decision {
    if (decision.action !== 'rerun') return decision;
    const override = o.overrides.find((r) => matchesPattern(r.pipeline, o.pipeline));
    const escalate = (reason: string): Decision => ({ ...decision, action: 'escalate', autoHeal: false, delaySeconds: 0, reason });
    if (override?.neverAutoHeal) {
        return escalate(`Escalate: pipeline ${o.pipeline} is configured never to auto-heal (pattern "${override.pipeline}"); the policy would have said: ${decision.reason}`);
    }
    if (o.breaker) {
        return escalate(
            `Escalate: the circuit breaker for ${o.pipeline} is open (${o.breaker.failures} failed remediations within ` +
                `${o.breaker.windowMinutes} min) until ${o.breaker.until}; no automatic rerun meanwhile.`,
        );
    }
    if (override?.maxAttempts !== undefined && o.attemptsMade >= override.maxAttempts) {
        return escalate(`Escalate: pipeline ${o.pipeline} allows ${override.maxAttempts} automatic attempts (pattern "${override.pipeline}") and ${o.attemptsMade} were made.`);
    }
    let next: Decision = decision;
    const windowEnd = maintenanceEnd(o.windows, o.pipeline, o.now);
    if (windowEnd) {
        const wait = Math.ceil((windowEnd.getTime() - o.now.getTime()) / 1000);
        next = { ...next, delaySeconds: Math.max(next.delaySeconds, wait), reason: `${next.reason} Deferred to ${windowEnd.toISOString().slice(0, 16)}Z, the end of a maintenance window.` };
    }
    if (override?.requireApproval || o.approvalClasses.includes(o.errorClass)) {
        const why = override?.requireApproval ? `pipeline pattern "${override.pipeline}"` : `class ${o.errorClass}`;
        next = { ...next, approval: { ...o.approval, why }, reason: `${next.reason} Needs approval (${why}); without an answer in ${o.approval.timeoutMinutes} min it is ${o.approval.defaultOutcome === 'approve' ? 'approved' : 'rejected'}.` };
    }
    if (o.dryRun) next = { ...next, dryRun: true, reason: `Dry run, nothing executed: ${next.reason}` };
    return next;
}
