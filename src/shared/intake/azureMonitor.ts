import { subscriptionOf } from './armId';
import { parseCommonAlert } from './commonAlert';
import { CommonAlertSchema } from './commonSchema';
import { fromZod, invalid, isRecord } from './issues';
import { parseLegacyLogAlert } from './legacy';
import type { IntakeOptions, IntakeOutcome } from './types';

const COMMON_SCHEMA = 'azureMonitorCommonAlertSchema';
/** Azure's "Test action group" sends the documented samples, all on this placeholder subscription. */
const TEST_SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';

function testNotificationRule(body: Record<string, unknown>): string | undefined {
    const essentials = isRecord(body.data) && isRecord(body.data.essentials) ? body.data.essentials : undefined;
    if (!essentials) return undefined;
    const targets: unknown[] = Array.isArray(essentials.alertTargetIDs) ? essentials.alertTargetIDs : [];
    const ids: unknown[] = [essentials.alertId, ...targets];
    const isTest = ids.some((id) => typeof id === 'string' && subscriptionOf(id)?.toLowerCase() === TEST_SUBSCRIPTION);
    if (!isTest) return undefined;
    return typeof essentials.alertRule === 'string' ? essentials.alertRule : '(unnamed rule)';
}

function isLegacyLogAlert(body: Record<string, unknown>): boolean {
    return (
        body.schemaId === undefined && ('SearchResult' in body || 'SearchResults' in body || 'AlertRuleName' in body)
    );
}

function isActivityLog(body: Record<string, unknown>): boolean {
    if (typeof body.schemaId === 'string' && body.schemaId.toLowerCase() === 'microsoft.insights/activitylogs')
        return true;
    return isRecord(body.data) && isRecord(body.data.context) && isRecord(body.data.context.activityLog);
}

function parseBody(body: unknown): { ok: true; value: unknown } | { ok: false } {
    if (typeof body !== 'string') return { ok: true, value: body };
    try {
        return { ok: true, value: JSON.parse(body) as unknown };
    } catch {
        return { ok: false };
    }
}

/**
 * Normalises an Azure Monitor webhook body (common alert schema, legacy log alert, activity log alert).
 * Accepts the parsed JSON or the raw text. Never throws.
 */
export function parseAzureMonitorAlert(body: unknown, options: IntakeOptions = {}): IntakeOutcome {
    const json = parseBody(body);
    if (!json.ok) return invalid({ path: '(root)', message: 'expected a JSON document: the body is not valid JSON' });
    const value = json.value;
    if (!isRecord(value)) return invalid({ path: '(root)', message: 'expected object' });

    const testRule = testNotificationRule(value);
    if (testRule !== undefined)
        return { kind: 'ignored', reason: `test notification received for alert rule '${testRule}'` };
    if (isActivityLog(value)) return { kind: 'ignored', reason: 'activity log event is not a run failure' };
    if (isLegacyLogAlert(value)) return parseLegacyLogAlert(value, options);
    if (value.schemaId === undefined) {
        return invalid(
            { path: 'schemaId', message: `expected "${COMMON_SCHEMA}" (or a legacy log alert with SearchResult)` },
            ...(isRecord(value.data) ? [] : [{ path: 'data', message: 'expected object' }]),
        );
    }
    if (typeof value.schemaId !== 'string') return invalid({ path: 'schemaId', message: 'expected string' });
    if (value.schemaId !== COMMON_SCHEMA) {
        return { kind: 'ignored', reason: `unsupported alert schema '${String(value.schemaId)}'` };
    }
    const parsed = CommonAlertSchema.safeParse(value);
    if (!parsed.success) return { kind: 'invalid', issues: fromZod(parsed.error) };
    return parseCommonAlert(parsed.data.data.essentials, parsed.data.data.alertContext);
}
