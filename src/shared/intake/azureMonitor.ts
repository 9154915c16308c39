import { subscriptionOf } from './armId';
import { parseCommonAlert } from './commonAlert';
import { CommonAlertSchema } from './commonSchema';
import { fromZod, invalid, isRecord } from './issues';
import { parseLegacyLogAlert } from './legacy';
import { parseMetricAlert } from './metricAlert';
import { type IntakeOptions, type IntakeOutcome, LIMITS } from './types';

const COMMON_SCHEMA = 'azureMonitorCommonAlertSchema';
const METRIC_SCHEMA = 'AzureMonitorMetricAlert';
/** Azure's "Test action group" sends the documented samples, all on this placeholder subscription. */
const TEST_SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';

function testNotificationRule(body: Record<string, unknown>): string | undefined {
    const data = isRecord(body.data) ? body.data : {};
    const essentials = isRecord(data.essentials) ? data.essentials : {};
    const context = isRecord(data.context) ? data.context : {};
    const targets: unknown[] = Array.isArray(essentials.alertTargetIDs) ? essentials.alertTargetIDs : [];
    const ids: unknown[] = [essentials.alertId, ...targets, context.id, context.resourceId, body.SubscriptionId];
    const isTest = ids.some((id) => {
        if (typeof id !== 'string') return false;
        const subscription = subscriptionOf(id) ?? id;
        return subscription.trim().toLowerCase() === TEST_SUBSCRIPTION;
    });
    if (!isTest) return undefined;
    const rule = [essentials.alertRule, context.name, body.AlertRuleName].find((r) => typeof r === 'string');
    return typeof rule === 'string' ? rule.slice(0, LIMITS.name) : '(unnamed rule)';
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
        return { kind: 'ignored', test: true, reason: `test notification received for alert rule '${testRule}'` };
    if (isActivityLog(value)) return { kind: 'ignored', reason: 'activity log event is not a run failure' };
    if (isLegacyLogAlert(value)) return parseLegacyLogAlert(value, options);
    if (value.schemaId === undefined) {
        return invalid(
            { path: 'schemaId', message: `expected "${COMMON_SCHEMA}" (or a legacy log alert with SearchResult)` },
            ...(isRecord(value.data) ? [] : [{ path: 'data', message: 'expected object' }]),
        );
    }
    if (typeof value.schemaId !== 'string') return invalid({ path: 'schemaId', message: 'expected string' });
    if (value.schemaId === METRIC_SCHEMA) return parseMetricAlert(value);
    if (value.schemaId !== COMMON_SCHEMA) {
        return { kind: 'ignored', reason: `unsupported alert schema '${value.schemaId.slice(0, 100)}'` };
    }
    const parsed = CommonAlertSchema.safeParse(value);
    if (!parsed.success) return { kind: 'invalid', issues: fromZod(parsed.error) };
    return parseCommonAlert(parsed.data.data.essentials, parsed.data.data.alertContext);
}
