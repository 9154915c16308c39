import { z } from 'zod';
import { parseFactoryId } from './armId';
import { IsoDateTime, LegacyTablesSchema } from './commonSchema';
import { fromZod } from './issues';
import { outcomeFromRuns } from './runs';
import { lookbackWindow } from './signals';
import { runRowsOf } from './tables';
import { type IntakeOptions, type IntakeOutcome, LIMITS } from './types';

const LegacySchema = z
    .object({
        AlertRuleName: z.string().max(LIMITS.name),
        SubscriptionId: z.string().max(LIMITS.id).nullish(),
        Severity: z.union([z.string().max(32), z.number()]).nullish(),
        Description: z.string().max(LIMITS.text).nullish(),
        SearchIntervalStartTimeUtc: IsoDateTime.nullish(),
        // Azure spells it with a lower-case 't'; accept the natural spelling too.
        SearchIntervalEndtimeUtc: IsoDateTime.nullish(),
        SearchIntervalEndTimeUtc: IsoDateTime.nullish(),
        SearchResult: LegacyTablesSchema.nullish(),
        SearchResults: LegacyTablesSchema.nullish(),
    })
    .refine((b) => b.SearchIntervalEndtimeUtc ?? b.SearchIntervalEndTimeUtc, {
        message: 'expected an ISO 8601 date-time string',
        path: ['SearchIntervalEndtimeUtc'],
    });

const LEGACY_SEVERITY: Record<string, string> = {
    critical: 'Sev0',
    error: 'Sev1',
    warning: 'Sev2',
    informational: 'Sev3',
    verbose: 'Sev4',
};

/** Legacy log alerts say `Critical`..`Verbose` (or 0..4); the product speaks `Sev0`..`Sev4`. */
export function legacySeverity(value: string | number | null | undefined): string {
    const s = String(value ?? '').trim();
    if (/^Sev[0-4]$/i.test(s)) return `Sev${s.slice(3)}`;
    if (/^[0-4]$/.test(s)) return `Sev${s}`;
    return LEGACY_SEVERITY[s.toLowerCase()] ?? 'Sev3';
}

/** The Log Analytics webhook payload that predates the common schema (no `schemaId`). */
export function parseLegacyLogAlert(body: unknown, options: IntakeOptions): IntakeOutcome {
    const parsed = LegacySchema.safeParse(body);
    if (!parsed.success) return { kind: 'invalid', issues: fromZod(parsed.error) };
    const b = parsed.data;
    const windowEnd = (b.SearchIntervalEndtimeUtc ?? b.SearchIntervalEndTimeUtc) as string;
    const window = b.SearchIntervalStartTimeUtc
        ? { windowStart: b.SearchIntervalStartTimeUtc, windowEnd }
        : lookbackWindow(windowEnd);
    const results = b.SearchResult ?? b.SearchResults;
    const rows = results ? runRowsOf(results, b.SearchResult ? 'SearchResult' : 'SearchResults') : [];
    const alert = {
        severity: legacySeverity(b.Severity),
        firedAt: windowEnd,
        alertRule: b.AlertRuleName,
        ...(b.Description ? { description: b.Description } : {}),
    };
    const fallbackFactory = parseFactoryId(options.defaultFactoryResourceId);
    return outcomeFromRuns(rows, {
        alert,
        window,
        unresolvedAlertId: `legacy|${b.AlertRuleName}|${window.windowStart}|${window.windowEnd}`,
        ...(fallbackFactory ? { fallbackFactory } : {}),
        ...(b.SubscriptionId ? { subscriptionId: b.SubscriptionId } : {}),
    });
}
