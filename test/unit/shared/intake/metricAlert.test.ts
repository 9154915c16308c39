import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseAzureMonitorAlert } from '../../../../src/shared/intake';

const FACTORY = '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourceGroups/rg-analytics-prd/providers/Microsoft.DataFactory/factories/adf-lakehouse-prd';

/** The metric alert payload of the pre-common schema, as Azure documents it (`properties: null`). */
function metricAlert(status: string, extra: Record<string, unknown> = {}) {
    return {
        schemaId: 'AzureMonitorMetricAlert',
        data: {
            version: '2.0',
            properties: null,
            status,
            context: {
                timestamp: '2025-03-14T02:21:09.447Z',
                id: '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourceGroups/rg-analytics-prd/providers/microsoft.insights/metricAlerts/adf-failed-runs',
                name: 'adf-failed-runs',
                description: '',
                conditionType: 'SingleResourceMultipleMetricCriteria',
                severity: '2',
                condition: {
                    windowSize: 'PT5M',
                    allOf: [
                        {
                            metricName: 'PipelineFailedRuns', metricNamespace: 'Microsoft.DataFactory/factories', operator: 'GreaterThan',
                            threshold: '0', timeAggregation: 'Total', dimensions: [{ name: 'Name', value: 'pl_ingest_sales_daily' }], metricValue: 1,
                        },
                    ],
                },
                subscriptionId: '8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71',
                resourceGroupName: 'rg-analytics-prd',
                resourceName: 'adf-lakehouse-prd',
                resourceType: 'Microsoft.DataFactory/factories',
                resourceId: FACTORY,
                portalLink: 'https://portal.azure.com/#resource/x',
                ...extra,
            },
        },
    };
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
