import { z } from 'zod';

import { parseCommonAlert } from './commonAlert';
import { type Essentials, IsoDateTime } from './commonSchema';
import { fromZod } from './issues';
import { type IntakeOutcome, LIMITS } from './types';

/** ISO 8601 durations as Azure writes window sizes (PT5M, PT1H, P1D). */
function durationMs(value: string | null | undefined): number | undefined {
    const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(value ?? '');
    if (!m || !value || value.length < 3) return undefined;
    const [, d, h, min, s] = m.map((x) => Number(x ?? 0));
    return (((d ?? 0) * 24 + (h ?? 0)) * 60 + (min ?? 0)) * 60_000 + (s ?? 0) * 1000;
}

const MetricAlertSchema = z.object({
    schemaId: z.literal('AzureMonitorMetricAlert'),
    data: z.object({
        // `properties` is null unless the action group adds custom properties; it carries nothing we need.
        status: z.string().max(32),
        context: z.object({
            timestamp: IsoDateTime,
            id: z.string().min(1).max(LIMITS.id),
            name: z.string().max(LIMITS.name),
            description: z.string().max(LIMITS.text).nullish(),
            severity: z.union([z.string().max(32), z.number()]).nullish(),
            resourceId: z.string().max(LIMITS.id),
            condition: z
                .object({
                    windowSize: z.string().max(32).nullish(),
                    windowStartTime: IsoDateTime.nullish(),
                    windowEndTime: IsoDateTime.nullish(),
                    allOf: z.unknown().optional(),
                })
                .nullish(),
        }),
    }),
});

/**
 * The metric alert payload that predates the common schema (`schemaId: AzureMonitorMetricAlert`,
 * `properties: null`). `status: Activated` is a fired alert, `Resolved` a resolved one; it is mapped onto the
 * common schema's essentials and read by the same code.
 */
export function parseMetricAlert(body: unknown): IntakeOutcome {
    const parsed = MetricAlertSchema.safeParse(body);
    if (!parsed.success) return { kind: 'invalid', issues: fromZod(parsed.error) };
    const { status, context } = parsed.data.data;
    const resolved = /^resolved$/i.test(status);
    if (!resolved && !/^activated$/i.test(status)) {
        return { kind: 'ignored', reason: `metric alert status '${status}' is neither Activated nor Resolved` };
    }
    const condition = context.condition ?? undefined;
    const window = durationMs(condition?.windowSize) ?? 5 * 60_000;
    const end = condition?.windowEndTime ?? context.timestamp;
    const start = condition?.windowStartTime ?? new Date(Date.parse(end) - window).toISOString();
    const severity = String(context.severity ?? '3').replace(/^sev/i, '');
    const essentials: Essentials = {
        // No alert id in this schema: the rule and its target identify the alert across Activated and Resolved.
        alertId: `${context.id}|${context.resourceId}`.toLowerCase(),
        alertRule: context.name,
        severity: /^[0-4]$/.test(severity) ? `Sev${severity}` : 'Sev3',
        signalType: 'Metric',
        monitorCondition: resolved ? 'Resolved' : 'Fired',
        monitoringService: 'Platform',
        alertTargetIDs: [context.resourceId],
        firedDateTime: context.timestamp,
        resolvedDateTime: resolved ? context.timestamp : undefined,
        description: context.description,
    };
    const alertContext = condition
        ? {
              conditionType: 'SingleResourceMultipleMetricCriteria',
              condition: { ...condition, windowStartTime: start, windowEndTime: end },
          }
        : null;
    return parseCommonAlert(essentials, alertContext, ['data', 'context']);
}
