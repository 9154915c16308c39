import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { parseAzureMonitorAlert } from '../../../../src/shared/intake';

const SAMPLE = join(__dirname, '..', '..', '..', 'fixtures', 'sample-alerts', 'adf-metric-alert-legacy-schema.json');

/** The metric alert payload of the pre-common schema, as Azure documents it (`properties: null`). */
function metricAlert(status: string, extra: Record<string, unknown> = {}) {
    const body = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { data: { status: string; context: Record<string, unknown> } };
    body.data.status = status;
    Object.assign(body.data.context, extra);
    return body;
}

describe('AzureMonitorMetricAlert (non-common schema)', () => {
    it('Activated is a fired alert: a run lookup for the pipeline over the window that ends at the timestamp', () => {
        const outcome = parseAzureMonitorAlert(metricAlert('Activated'));
        assert.equal(outcome.kind, 'unresolved', JSON.stringify(outcome));
        if (outcome.kind !== 'unresolved') return;
        assert.equal(outcome.pipelineName, 'pl_ingest_sales_daily');
        assert.equal(outcome.factoryName, 'adf-lakehouse-prd');
        assert.equal(outcome.windowEnd, '2025-03-14T02:21:09.447Z');
        assert.equal(outcome.windowStart, '2025-03-14T02:16:09.447Z', 'windowSize PT5M');
        assert.equal(outcome.severity, 'Sev2');
        assert.equal(outcome.alertRule, 'adf-failed-runs');
    });

    it('Resolved is the resolution of the same alert (same id as its Activated)', () => {
        const fired = parseAzureMonitorAlert(metricAlert('Activated'));
        const resolved = parseAzureMonitorAlert(metricAlert('Resolved', { timestamp: '2025-03-14T02:36:40Z' }));
        assert.equal(resolved.kind, 'resolved');
        if (resolved.kind !== 'resolved' || fired.kind !== 'unresolved') return;
        assert.equal(resolved.alertId, fired.alertId);
        assert.equal(resolved.resolvedAt, '2025-03-14T02:36:40Z');
    });

    it('a test notification of this schema is recognised as a test', () => {
        const test = metricAlert('Activated', { resourceId: '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/test/providers/Microsoft.Storage/storageAccounts/st', id: '/subscriptions/11111111-1111-1111-1111-111111111111/x' });
        const outcome = parseAzureMonitorAlert(test);
        assert.deepEqual(outcome, { kind: 'ignored', test: true, reason: "test notification received for alert rule 'adf-failed-runs'" });
    });

    it('names the field when the context is malformed, and ignores statuses it does not know', () => {
        const bad = metricAlert('Activated', { timestamp: 'yesterday' });
        const outcome = parseAzureMonitorAlert(bad);
        assert.equal(outcome.kind, 'invalid');
        assert.equal(outcome.kind === 'invalid' && outcome.issues[0]?.path, 'data.context.timestamp');
        assert.equal(parseAzureMonitorAlert(metricAlert('Deactivated')).kind, 'ignored');
    });
});
