import { z } from 'zod';

import { LIMITS } from './types';

const LATEST = Date.parse('9000-01-01T00:00:00Z');

/** A date-time in a sane range (window arithmetic near the limits of Date would otherwise throw). */
export const IsoDateTime = z
    .string()
    .max(64)
    .refine((v) => {
        const t = Date.parse(v);
        return t >= 0 && t < LATEST;
    }, 'expected an ISO 8601 date-time string');

const Id = z.string().max(LIMITS.id);
// A refinement, not .max(): zod 4 also runs .max() on a string given where the array was expected.
const atMost = (n: number) => [(a: unknown[]) => a.length <= n, `expected at most ${n} items`] as const;
const Name = z.string().max(LIMITS.name);

export const EssentialsSchema = z.object({
    alertId: Id.min(1),
    alertRule: Name,
    severity: z.string().max(32),
    signalType: Name.nullish(),
    monitorCondition: z.enum(['Fired', 'Resolved']),
    monitoringService: Name.nullish(),
    alertTargetIDs: z.array(Id).refine(...atMost(100)),
    firedDateTime: IsoDateTime,
    resolvedDateTime: IsoDateTime.nullish(),
    description: z.string().max(LIMITS.text).nullish(),
});
export type Essentials = z.infer<typeof EssentialsSchema>;

export const CommonAlertSchema = z.object({
    schemaId: z.literal('azureMonitorCommonAlertSchema'),
    data: z.object({ essentials: EssentialsSchema, alertContext: z.unknown().optional() }),
});

const DimensionSchema = z.object({
    name: Name,
    value: z.union([z.string().max(LIMITS.dimensionValue), z.number(), z.boolean()]).transform(String),
});

const CriterionSchema = z.object({
    metricName: Name.nullish(),
    dimensions: z.array(DimensionSchema).refine(...atMost(100)).nullish(),
});

/** The part of `alertContext` this product reads; other keys (links, thresholds...) are ignored. */
export const AlertContextSchema = z.object({
    conditionType: Name.nullish(),
    condition: z
        .object({
            allOf: z.array(CriterionSchema).refine(...atMost(100)).nullish(),
            windowStartTime: IsoDateTime.nullish(),
            windowEndTime: IsoDateTime.nullish(),
        })
        .nullish(),
    SearchResults: z.unknown().optional(),
    SearchResult: z.unknown().optional(),
});
export type AlertContext = z.infer<typeof AlertContextSchema>;
export type Criterion = z.infer<typeof CriterionSchema>;

/** Dimension lookup by lower-cased name: Azure does not guarantee the case or the order. */
export function dimensionsOf(criterion: Criterion): Map<string, string> {
    const map = new Map<string, string>();
    for (const d of criterion.dimensions ?? []) {
        const key = d.name.toLowerCase();
        if (!map.has(key)) map.set(key, d.value);
    }
    return map;
}

const LegacyColumnSchema = z.object({ name: Name });
export const LegacyTablesSchema = z.object({
    tables: z.array(
        z.object({
            name: z.string().nullish(),
            columns: z.array(LegacyColumnSchema),
            rows: z.array(z.array(z.unknown())),
        }),
    ),
});
export type LegacyTables = z.infer<typeof LegacyTablesSchema>;
