import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureSignalSchema } from '../../../../src/shared/domain';
import { dedupKeyForAdf, type IntakeOutcome, parseAzureMonitorAlert } from '../../../../src/shared/intake';
import { caseJson, caseText } from './loadCase';

const FACTORY_LOWER =
    '/subscriptions/8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71/resourcegroups/rg-analytics-prd/providers/microsoft.datafactory/factories/adf-lakehouse-prd';

function failures(outcome: IntakeOutcome) {
    assert.equal(outcome.kind, 'failures', JSON.stringify(outcome));
    if (outcome.kind !== 'failures') throw new Error('unreachable');
    for (const s of outcome.signals) FailureSignalSchema.parse(s);
    return outcome.signals;
}

function expectKind<K extends IntakeOutcome['kind']>(
    outcome: IntakeOutcome,
    kind: K,
): Extract<IntakeOutcome, { kind: K }> {
    assert.equal(outcome.kind, kind, JSON.stringify(outcome));
    return outcome as Extract<IntakeOutcome, { kind: K }>;
}

/** C01 with its dimensions replaced (for shapes the cases do not cover). */
function logAlertWith(dimensionSets: { name: string; value: string }[][], monitorCondition = 'Fired'): unknown {
    const body = structuredClone(caseJson('C01-logalertsv2-adf-no-search-results')) as {
        data: { essentials: { monitorCondition: string }; alertContext: { condition: { allOf: object[] } } };
    };
    body.data.essentials.monitorCondition = monitorCondition;
    const template = body.data.alertContext.condition.allOf[0];
    body.data.alertContext.condition.allOf = dimensionSets.map((dimensions) => ({ ...template, dimensions }));
    return body;
}

describe('parseAzureMonitorAlert', () => {
    it('C01: takes the run from the Log Alerts V2 dimensions and the factory from _ResourceId, not the workspace', () => {
        const [signal, ...rest] = failures(parseAzureMonitorAlert(caseJson('C01-logalertsv2-adf-no-search-results')));
        assert.equal(rest.length, 0);
        assert.ok(signal);
        assert.equal(signal.pipeline, 'pl_ingest_sales_daily');
        assert.equal(signal.runId, 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4');
        assert.equal(signal.adf?.factoryName, 'adf-lakehouse-prd');
        assert.equal(signal.adf?.resourceGroup, 'rg-analytics-prd');
        assert.equal(signal.adf?.subscriptionId, '8c2f4e1a-5b7d-4c3e-9a16-3f0b2d4e6a71');
        assert.equal(
            signal.dedupKey,
            `adf|${FACTORY_LOWER}|pl_ingest_sales_daily|a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4`,
        );
        assert.equal(signal.severity, 'Sev2');
        assert.equal(signal.alertRule, 'adf-pipeline-failed-la');
        assert.match(signal.alertId ?? '', /alerts\/6f1d3b2a/);
        assert.equal(signal.firedAt, '2025-03-14T02:20:31.5712964Z');
        assert.match(signal.ticketId, /^adf-[0-9a-f]{32}$/);
    });

    it('reads dimension names case-insensitively and makes one signal per distinct RunId', () => {
        const dims = (run: string) => [
            { name: 'pipelinename', value: 'pl_a' },
            { name: 'RUNID', value: run },
            { name: '_resourceId', value: FACTORY_LOWER.toUpperCase() },
        ];
        const signals = failures(parseAzureMonitorAlert(logAlertWith([dims('r-1'), dims('r-2'), dims('R-1')])));
        assert.deepEqual(
            signals.map((s) => s.runId),
            ['r-1', 'r-2'],
        );
        assert.equal(signals[0]?.adf?.factoryResourceId, FACTORY_LOWER.toUpperCase(), 'original spelling kept');
        assert.equal(signals[0]?.dedupKey, dedupKeyForAdf(FACTORY_LOWER, 'pl_a', 'r-1'));
    });

    it('keeps a decomposed pipeline name byte-exact but NFC-normalises it in the dedup key', () => {
        const decomposed = 'pl_cafe\u0301';
        const signals = failures(
            parseAzureMonitorAlert(
                logAlertWith([
                    [
                        { name: 'PipelineName', value: decomposed },
                        { name: 'RunId', value: 'r' },
                        { name: '_ResourceId', value: FACTORY_LOWER },
                    ],
                ]),
            ),
        );
        assert.equal(signals[0]?.pipeline, decomposed);
        assert.ok(signals[0]?.dedupKey.includes('pl_caf\u00e9|'));
    });

    it('without a RunId dimension, asks for a run lookup over the alert window', () => {
        const outcome = parseAzureMonitorAlert(
            logAlertWith([
                [
                    { name: 'PipelineName', value: 'pl_a' },
                    { name: '_ResourceId', value: FACTORY_LOWER },
                ],
            ]),
        );
        const u = expectKind(outcome, 'unresolved');
        assert.equal(u.pipelineName, 'pl_a');
        assert.equal(u.factoryName, 'adf-lakehouse-prd');
        assert.equal(u.windowStart, '2025-03-14T02:10:00Z');
        assert.equal(u.windowEnd, '2025-03-14T02:15:00Z');
    });

    it('a Resolved notification is resolved, with the run identity when the dimensions carry it', () => {
        const outcome = parseAzureMonitorAlert(
            logAlertWith(
                [
                    [
                        { name: 'PipelineName', value: 'pl_a' },
                        { name: 'RunId', value: 'r' },
                        { name: '_ResourceId', value: FACTORY_LOWER },
                    ],
                ],
                'Resolved',
            ),
        );
        const r = expectKind(outcome, 'resolved');
        assert.match(r.alertId, /alerts\/6f1d3b2a/);
        assert.deepEqual(
            r.signals.map((s) => s.runId),
            ['r'],
        );
    });

    it('C04: the Test action group sample is ignored and names the alert rule', () => {
        const r = expectKind(parseAzureMonitorAlert(caseJson('C04-test-action-group-sample')), 'ignored');
        assert.match(r.reason, /test notification/);
        assert.match(r.reason, /test-metricAlertRule/);
    });

    it('C06: an activity log alert is ignored', () => {
        const r = expectKind(parseAzureMonitorAlert(caseJson('C06-activity-log-alert-pipeline-write')), 'ignored');
        assert.match(r.reason, /activity log/i);
    });

    it('ignores a common-schema activity log alert', () => {
        const body = structuredClone(caseJson('C13-alertcontext-null')) as {
            data: { essentials: Record<string, unknown> };
        };
        body.data.essentials.monitoringService = 'Activity Log - Administrative';
        expectKind(parseAzureMonitorAlert(body), 'ignored');
    });

    it('C08: a metric alert resolves the pipeline per metric (Name is the activity for ActivityFailedRuns)', () => {
        const u = expectKind(parseAzureMonitorAlert(caseJson('C08-multi-criteria-dimension-name-clash')), 'unresolved');
        assert.equal(u.pipelineName, 'pl_load_customer_dim');
        assert.deepEqual(u.failedActivities, ['Copy_Crm_To_Bronze']);
        assert.equal(u.factoryName, 'adf-lakehouse-prd');
        assert.equal(u.windowStart, '2025-03-14T04:00:30.112Z');
        assert.equal(u.windowEnd, '2025-03-14T04:15:30.112Z');
        assert.equal(u.severity, 'Sev1');
    });

    it('a metric alert on a resource that is not a factory is ignored', () => {
        const body = structuredClone(caseJson('C08-multi-criteria-dimension-name-clash')) as {
            data: { essentials: { alertTargetIDs: string[] } };
        };
        body.data.essentials.alertTargetIDs = [
            '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st',
        ];
        assert.match(expectKind(parseAzureMonitorAlert(body), 'ignored').reason, /no Data Factory/);
    });

    it('C13: alertContext null becomes a lookup over a bounded window before firedDateTime', () => {
        const u = expectKind(parseAzureMonitorAlert(caseJson('C13-alertcontext-null')), 'unresolved');
        assert.equal(u.factoryName, 'adf-lakehouse-prd');
        assert.equal(u.pipelineName, undefined);
        assert.equal(u.windowEnd, '2025-03-14T07:41:55.204Z');
        assert.equal(Date.parse(u.windowEnd) - Date.parse(u.windowStart), 60 * 60_000);
    });

    it('C13 with alertContext {} behaves the same', () => {
        const body = structuredClone(caseJson('C13-alertcontext-null')) as { data: { alertContext: unknown } };
        body.data.alertContext = {};
        assert.equal(parseAzureMonitorAlert(body).kind, 'unresolved');
    });

    it('C05: reads a legacy payload without schemaId by column name, one signal per run', () => {
        const signals = failures(parseAzureMonitorAlert(caseJson('C05-legacy-log-analytics-no-schemaid')));
        assert.deepEqual(
            signals.map((s) => [s.pipeline, s.runId]),
            [
                ['pl_ingest_sales_daily', 'a3f5c9e2-1b7d-4e08-9c6a-52d0e8b1f7a4'],
                ['pl_export_finance_monthly', 'f27c0d93-5a4e-4b18-8d6f-c3e1a09b7254'],
            ],
        );
        assert.equal(signals[0]?.adf?.factoryName, 'adf-lakehouse-prd');
        assert.equal(signals[0]?.severity, 'Sev2', 'Warning maps to Sev2');
        assert.equal(signals[0]?.firedAt, '2025-03-14T02:15:00Z', 'SearchIntervalEndtimeUtc');
    });

    it('C10: extracts the 12 distinct runs of a 1000-row legacy body given as raw text', () => {
        const signals = failures(parseAzureMonitorAlert(caseText('C10-legacy-large-payload-1000-rows')));
        assert.equal(signals.length, 12);
        assert.equal(new Set(signals.map((s) => s.pipeline)).size, 3);
        assert.equal(signals[0]?.adf, undefined, 'the payload names no factory');
        const withDefault = failures(
            parseAzureMonitorAlert(caseJson('C10-legacy-large-payload-1000-rows'), {
                defaultFactoryResourceId: FACTORY_LOWER,
            }),
        );
        assert.equal(withDefault.length, 12);
        assert.equal(withDefault[0]?.adf?.factoryName, 'adf-lakehouse-prd');
    });

    it('C12: rejects each malformed body naming the JSON path and the expected shape', () => {
        const steps = (
            caseJson('C12-malformed-bodies') as { steps: { request: { body?: unknown; rawBody?: string } }[] }
        ).steps;
        const issues = steps.map(
            (s) => expectKind(parseAzureMonitorAlert(s.request.rawBody ?? s.request.body), 'invalid').issues,
        );
        assert.match(issues[0]?.[0]?.message ?? '', /not valid JSON/);
        assert.deepEqual(
            issues[1]?.map((i) => i.path),
            ['schemaId', 'data'],
        );
        assert.deepEqual(
            issues[2]?.map((i) => i.path),
            ['data.essentials'],
        );
        assert.equal(issues[3]?.[0]?.path, 'data.essentials.alertTargetIDs');
        assert.match(issues[3]?.[0]?.message ?? '', /expected array/);
    });

    it('rejects wrong types in essentials and non-objects', () => {
        const body = structuredClone(caseJson('C13-alertcontext-null')) as {
            data: { essentials: Record<string, unknown> };
        };
        body.data.essentials.alertId = 42;
        const issue = expectKind(parseAzureMonitorAlert(body), 'invalid').issues[0];
        assert.equal(issue?.path, 'data.essentials.alertId');
        assert.match(issue?.message ?? '', /expected string/);
        assert.equal(parseAzureMonitorAlert([1, 2]).kind, 'invalid');
        assert.equal(parseAzureMonitorAlert(null).kind, 'invalid');
    });
});
