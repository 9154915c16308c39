import { z } from 'zod';

const IsoDateTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO 8601 date-time string');

export const EssentialsSchema = z.object({
    alertId: z.string().min(1),
    alertRule: z.string(),
    severity: z.string(),
    signalType: z.string().nullish(),
    monitorCondition: z.enum(['Fired', 'Resolved']),
    monitoringService: z.string().nullish(),
    alertTargetIDs: z.array(z.string()),
    firedDateTime: IsoDateTime,
    resolvedDateTime: z.string().nullish(),
    description: z.string().nullish(),
});
export type Essentials = z.infer<typeof EssentialsSchema>;

export const CommonAlertSchema = z.object({
    schemaId: z.literal('azureMonitorCommonAlertSchema'),
    data: z.object({ essentials: EssentialsSchema, alertContext: z.unknown().optional() }),
});

const DimensionSchema = z.object({
    name: z.string(),
    value: z.union([z.string(), z.number(), z.boolean()]).transform(String),
});

const CriterionSchema = z.object({
    metricName: z.string().nullish(),
    dimensions: z.array(DimensionSchema).nullish(),
});

/** The part of `alertContext` this product reads; other keys (links, thresholds...) are ignored. */
export const AlertContextSchema = z.object({
    conditionType: z.string().nullish(),
    condition: z
        .object({
            allOf: z.array(CriterionSchema).nullish(),
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

const LegacyColumnSchema = z.object({ name: z.string() });
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
